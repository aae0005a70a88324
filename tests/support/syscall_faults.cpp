#include "syscall_faults.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdarg>
#include <cstddef>
#include <optional>

extern "C" {
int __real_open(const char* path, int flags, ...);
ssize_t __real_read(int fd, void* buf, size_t n);
ssize_t __real_write(int fd, const void* buf, size_t n);
int __real_fsync(int fd);
int __real_close(int fd);
int __real_rename(const char* from, const char* to);
int __real_unlink(const char* path);
int __real_rmdir(const char* path);
int __real_mkdir(const char* path, mode_t mode);
int __real_ftruncate(int fd, off_t size);
int __real_fstat(int fd, struct stat* st);
int __real_flock(int fd, int op);
}

namespace tsign::test {
namespace {

struct Armed {
  bool active = false;
  int countdown = 0;
  int err = 0;
  long result = -1;
  bool fired = false;
};
std::array<Armed, 12> g_armed;  // indexed by Syscall; tests arm one at a time, single-threaded

// The result this call is to return instead of running (-1 with errno set, or the armed result),
// or nothing when it runs.
std::optional<long> inject(Syscall call) {
  Armed& a = g_armed[static_cast<std::size_t>(call)];
  if (!a.active) return std::nullopt;
  if (a.countdown-- > 0) return std::nullopt;
  a.active = false;
  a.fired = true;
  if (a.result < 0) errno = a.err;
  return a.result;
}

}  // namespace

SyscallFault::SyscallFault(Syscall call, int nth, int err, long result) : call_(call) {
  g_armed[static_cast<std::size_t>(call)] = Armed{true, nth, err, result, false};
}
SyscallFault::~SyscallFault() { g_armed[static_cast<std::size_t>(call_)] = Armed{}; }
bool SyscallFault::fired() const { return g_armed[static_cast<std::size_t>(call_)].fired; }

}  // namespace tsign::test

using tsign::test::inject;
using tsign::test::Syscall;

extern "C" {
int __wrap_open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
    va_list args;
    va_start(args, flags);
    mode = static_cast<mode_t>(va_arg(args, int));
    va_end(args);
  }
  if (auto r = inject(Syscall::Open)) return static_cast<int>(*r);
  return __real_open(path, flags, mode);
}
ssize_t __wrap_read(int fd, void* buf, size_t n) {
  if (auto r = inject(Syscall::Read)) return *r;
  return __real_read(fd, buf, n);
}
ssize_t __wrap_write(int fd, const void* buf, size_t n) {
  if (auto r = inject(Syscall::Write)) return *r;
  return __real_write(fd, buf, n);
}
int __wrap_close(int fd) {
  if (auto r = inject(Syscall::Close)) {
    __real_close(fd);  // the descriptor is gone either way, as with a real delayed write error
    return static_cast<int>(*r);
  }
  return __real_close(fd);
}
#define TSIGN_WRAP(name, call, params, args)                   \
  int __wrap_##name params {                                   \
    if (auto r = inject(Syscall::call)) return static_cast<int>(*r); \
    return __real_##name args;                                 \
  }
TSIGN_WRAP(fsync, Fsync, (int fd), (fd))
TSIGN_WRAP(rename, Rename, (const char* from, const char* to), (from, to))
TSIGN_WRAP(unlink, Unlink, (const char* path), (path))
TSIGN_WRAP(rmdir, Rmdir, (const char* path), (path))
TSIGN_WRAP(mkdir, Mkdir, (const char* path, mode_t mode), (path, mode))
TSIGN_WRAP(ftruncate, Ftruncate, (int fd, off_t size), (fd, size))
TSIGN_WRAP(fstat, Fstat, (int fd, struct stat* st), (fd, st))
TSIGN_WRAP(flock, Flock, (int fd, int op), (fd, op))
#undef TSIGN_WRAP
}
