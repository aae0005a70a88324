#include "tsign/custody/check_journal.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "tsign/core/file_io.hpp"

namespace tsign {

Result<std::shared_ptr<FileCheckJournal>> FileCheckJournal::open(std::filesystem::path dir, Options options) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return posix_error("cannot create directory", dir);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return make_error(ErrorKind::Storage, dir.string() + " is not a directory");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return make_error(ErrorKind::Storage, dir.string() + " is writable by group or others (chmod 700)");
  }
  return std::shared_ptr<FileCheckJournal>(new FileCheckJournal(std::move(dir), std::move(options)));
}

std::filesystem::path FileCheckJournal::record(const ot::PairFingerprint& pair, std::string_view kind) const {
  return dir_ / (to_hex(pair) + "." + std::string(kind));
}

Result<bool> FileCheckJournal::disabled(const ot::PairFingerprint& pair) {
  for (std::string_view kind : {"attempt", "disabled"}) {
    struct stat st {};
    const auto path = record(pair, kind);
    if (::lstat(path.c_str(), &st) == 0) return true;
    if (errno != ENOENT) return posix_error("cannot stat", path);
  }
  return false;
}

Status FileCheckJournal::begin(const ot::PairFingerprint& pair) {
  TSIGN_CHECK(write_file_atomic(record(pair, "attempt"), as_bytes("attempt\n")));
  if (options_.on_step) options_.on_step("check:recorded");
  return {};
}

void FileCheckJournal::passed(const ot::PairFingerprint& pair) {
  // Not fsynced: if the removal is lost, the pair reads as disabled, which is the safe side.
  ::unlink(record(pair, "attempt").c_str());
}

Status FileCheckJournal::failed(const ot::PairFingerprint& pair) {
  return write_file_atomic(record(pair, "disabled"), as_bytes("disabled\n"));
}

}  // namespace tsign
