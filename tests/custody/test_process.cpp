// Process hygiene: no core dump of a process that holds key material, and secrets taken from the
// environment leave no copy behind.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "tsign/custody/process.hpp"

using namespace tsign;

TEST_CASE("process hygiene: a hardened process is not dumpable and cannot raise its core limit") {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    ::setrlimit(RLIMIT_CORE, &unlimited);  // as generous as the environment allows
    if (!harden_process().ok()) ::_exit(10);
    if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) ::_exit(11);
    rlimit core{};
    if (::getrlimit(RLIMIT_CORE, &core) != 0 || core.rlim_cur != 0 || core.rlim_max != 0) ::_exit(12);
    if (::setrlimit(RLIMIT_CORE, &unlimited) == 0 && ::geteuid() != 0) ::_exit(13);  // the hard limit holds
    ::abort();  // and a crash now writes nothing
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  INFO((WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status)) : "signal " + std::to_string(WTERMSIG(status))));
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
  CHECK_FALSE(WCOREDUMP(status));
}

TEST_CASE("process hygiene: a secret taken from the environment is removed and its bytes overwritten") {
  REQUIRE(::setenv("TSIGN_TEST_SECRET", "correct horse", 1) == 0);
  const char* stored = std::getenv("TSIGN_TEST_SECRET");
  REQUIRE(stored != nullptr);
  auto taken = take_secret_from_environment("TSIGN_TEST_SECRET");
  REQUIRE(taken.has_value());
  CHECK(std::string(taken->expose().begin(), taken->expose().end()) == "correct horse");
  CHECK(std::getenv("TSIGN_TEST_SECRET") == nullptr);
  // glibc keeps the string setenv allocated; its bytes are gone.
  CHECK(std::string(stored, std::strlen("correct horse")) == std::string(std::strlen("correct horse"), '\0'));
  CHECK_FALSE(take_secret_from_environment("TSIGN_TEST_SECRET").has_value());
}
