#include "passphrase.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tsign/custody/process.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign::cli {

namespace {

Error invalid(std::string why) { return make_error(ErrorKind::InvalidInput, std::move(why)); }

// Drops one trailing line break ("\n" or "\r\n"): files written with echo or an editor end in one.
SecretBytes without_line_break(std::span<const std::uint8_t> bytes) {
  std::size_t n = bytes.size();
  if (n > 0 && bytes[n - 1] == '\n') --n;
  if (n > 0 && bytes[n - 1] == '\r') --n;
  return SecretBytes::copy_of(bytes.first(n));
}

// Reads one line from the terminal with echo off, into locked memory.
Result<SecretBytes> prompt_once(int tty, std::string_view prompt) {
  if (::write(tty, prompt.data(), prompt.size()) < 0) return invalid("cannot write to the terminal");
  termios saved{};
  const bool have_termios = ::tcgetattr(tty, &saved) == 0;
  if (have_termios) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSANOW, &quiet);
  }
  SecretBytes buffer(kMaxPassphrase + 1);
  std::size_t n = 0;
  bool ended = false;
  while (n < buffer.size()) {
    char c = 0;
    const ssize_t r = ::read(tty, &c, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || c == '\n') {
      ended = true;
      break;
    }
    buffer.expose_mut()[n++] = static_cast<std::uint8_t>(c);
  }
  if (have_termios) ::tcsetattr(tty, TCSANOW, &saved);
  if (!ended) return invalid("passphrase longer than " + std::to_string(kMaxPassphrase) + " bytes");
  return without_line_break(buffer.expose().first(n));
}

Result<SecretBytes> from_terminal(std::string_view prompt, bool confirm) {
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return invalid("no passphrase: use --passphrase-file, set TSIGN_PASSPHRASE, or run on a terminal");
  }
  auto first = prompt_once(tty, prompt);
  if (first && confirm) {
    auto second = prompt_once(tty, "Repeat the passphrase: ");
    if (!second) {
      ::close(tty);
      return second.error();
    }
    if (!ct_equal(first->expose(), second->expose())) {
      ::close(tty);
      return invalid("the passphrases differ");
    }
  }
  ::close(tty);
  return first;
}

}  // namespace

Result<SecretBytes> read_passphrase(const std::optional<std::filesystem::path>& file, std::string_view prompt,
                                    bool confirm) {
  Result<SecretBytes> passphrase = invalid("no passphrase");
  if (file) {
    passphrase = read_secret_file(*file, kMaxPassphrase);
  } else if (auto env = take_secret_from_environment("TSIGN_PASSPHRASE")) {
    passphrase = without_line_break(env->expose());
  } else {
    passphrase = from_terminal(prompt, confirm);
  }
  if (!passphrase) return passphrase;
  if (passphrase->empty()) return invalid("the passphrase is empty");
  if (passphrase->size() > kMaxPassphrase) {
    return invalid("passphrase longer than " + std::to_string(kMaxPassphrase) + " bytes");
  }
  return passphrase;
}

}  // namespace tsign::cli
