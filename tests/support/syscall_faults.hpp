#pragma once
// Fault injection for the storage tests: the test binaries that link support/syscall_faults.cpp
// (TSIGN_WRAPPED_SYSCALLS in tests/CMakeLists.txt) reach these system calls through wrappers
// (the linker's --wrap), which pass every call through unless a SyscallFault is armed.
#include <cerrno>

namespace tsign::test {

enum class Syscall { Open, Read, Write, Fsync, Close, Rename, Unlink, Rmdir, Mkdir, Ftruncate, Fstat, Flock };

// While it lives, call number `nth` (0: the next one) to `call` fails with `err`, once. With
// `result` >= 0 the call instead returns `result` without doing anything (for read and write: a
// short transfer that leaves the buffer alone, as a file that shrank or grew would).
class SyscallFault {
 public:
  explicit SyscallFault(Syscall call, int nth = 0, int err = EIO, long result = -1);
  ~SyscallFault();
  SyscallFault(const SyscallFault&) = delete;
  SyscallFault& operator=(const SyscallFault&) = delete;

  // Whether the armed call was reached (and failed).
  bool fired() const;

 private:
  Syscall call_;
};

}  // namespace tsign::test
