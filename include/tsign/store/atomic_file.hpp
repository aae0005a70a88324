#pragma once
// Durable file operations (POSIX): a write lands whole or not at all, and survives a power cut once
// the call returns.
#include <filesystem>
#include <functional>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/core/file_io.hpp"  // read_file
#include "tsign/core/result.hpp"

namespace tsign {

// Called at named points of multi-step operations, so tests can kill a process exactly there.
// Production code passes none.
using StepHook = std::function<void(std::string_view step)>;

// Writes to a temporary file in path's directory (mode 0600), fsyncs it, renames it over path and
// fsyncs the directory. On failure the temporary file is removed and any existing file at path is
// left untouched. Steps: "write:synced" (temporary durable, not yet renamed), "write:renamed".
Status write_file_atomic(const std::filesystem::path& path, ByteSpan data, const StepHook& hook = {});

// True for the names write_file_atomic gives its temporary files.
bool is_temporary_file_name(std::string_view file_name);

// rename(2) within one directory, then fsync of that directory.
Status rename_durable(const std::filesystem::path& from, const std::filesystem::path& to);

Status fsync_directory(const std::filesystem::path& dir);

// Overwrites the file with zeros, fsyncs, unlinks it and fsyncs its directory. Best effort against
// later recovery: copy-on-write file systems and flash wear levelling may keep older blocks, which
// is one reason share files are sealed in the first place.
Status wipe_file(const std::filesystem::path& path);

}  // namespace tsign
