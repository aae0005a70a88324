#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "support/syscall_faults.hpp"
#include "support/temp_dir.hpp"
#include "tsign/core/random.hpp"
#include "tsign/net/party_config.hpp"

using namespace tsign;
using tsign::test::TempDir;
namespace fs = std::filesystem;

namespace {


const std::string kKey1 = "a8abababababababababababababababababababababababababababababab6b";
std::string pub_hex() { return to_hex(X25519KeyPair::generate().public_key()); }

std::string good_text(const std::string& p2, const std::string& p3) {
  return "# a party\n"
         "version = 1\n"
         "id = 1\n"
         "listen = 127.0.0.1:7001   # inline comment\n"
         "static_key = " + kKey1 + "\n"
         "\n"
         "peer = 3 [::1]:7003 " + p3 + "\n"
         "peer = 2 host-2.example:7002 " + p2 + "\r\n";
}

}  // namespace

TEST_CASE("a well-formed party configuration") {
  std::string p2 = pub_hex(), p3 = pub_hex();
  auto c = parse_party_config(good_text(p2, p3), ".");
  REQUIRE(c);
  CHECK(c->id == 1);
  CHECK(c->listen_host == "127.0.0.1");
  CHECK(c->listen_port == 7001);
  CHECK(to_hex(c->static_key.private_key()) == kKey1);
  REQUIRE(c->peers.size() == 2);
  CHECK(c->peers[0].id == 2);  // sorted
  CHECK(c->peers[0].host == "host-2.example");
  CHECK(to_hex(c->peers[0].static_key) == p2);
  CHECK(c->peers[1].host == "::1");
  CHECK(c->peers[1].port == 7003);
  CHECK(c->party_ids() == std::vector<PartyId>{1, 2, 3});

  // Formatting and parsing again gives the same configuration and cluster hash.
  auto again = parse_party_config(format_party_config(*c, std::nullopt), ".");
  REQUIRE(again);
  CHECK(again->cluster_hash() == c->cluster_hash());
  CHECK(again->peers[1].host == "::1");
}

TEST_CASE("the cluster hash binds membership and keys") {
  auto c = parse_party_config(good_text(pub_hex(), pub_hex()), ".").value();
  auto other = c.clone();
  other.peers[0].static_key[0] ^= 1;
  CHECK(other.cluster_hash() != c.cluster_hash());
  auto fewer = c.clone();
  fewer.peers.pop_back();
  CHECK(fewer.cluster_hash() != c.cluster_hash());
  auto moved = c.clone();
  moved.peers[0].port = 9999;  // addresses are local knowledge, not membership
  CHECK(moved.cluster_hash() == c.cluster_hash());
}

TEST_CASE("the parser rejects what it does not understand") {
  std::string p2 = pub_hex(), p3 = pub_hex();
  std::string base = good_text(p2, p3);
  auto rejects = [&](const std::string& text, const std::string& why) {
    auto r = parse_party_config(text, ".");
    INFO(text);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::InvalidInput);
    INFO(r.error().message);
    CHECK(r.error().message.find(why) != std::string::npos);
  };
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = base;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  rejects(base + "colour = blue\n", "unknown key");
  rejects(base + "id = 4\n", "given twice");
  rejects(replace("version = 1", "version = 2"), "unsupported version");
  rejects(replace("version = 1\n", ""), "missing 'version'");
  rejects(replace("id = 1", "id = 0"), "id must be");
  rejects(replace("id = 1", "id = 01"), "id must be");
  rejects(replace("id = 1", "id = -1"), "id must be");
  rejects(replace("id = 1", "id = 4294967296"), "id must be");
  rejects(replace("id = 1", "id ="), "empty value");
  rejects(replace("id = 1", "id 1"), "expected key = value");
  rejects(replace("127.0.0.1:7001", "127.0.0.1"), "expected host:port");
  rejects(replace("127.0.0.1:7001", "127.0.0.1:70000"), "port");
  rejects(replace("127.0.0.1:7001", "bad_host:1"), "host must be");
  rejects(replace("[::1]:7003", "::1:7003"), "host must be");
  rejects(replace("[::1]:7003", "[::1]:0"), "port 0");
  rejects(replace("static_key = " + kKey1, "static_key = " + kKey1.substr(2)), "64 hex");
  rejects(replace("static_key = " + kKey1, "static_key = " + std::string(64, '0')), "degenerate");
  rejects(replace("static_key = " + kKey1 + "\n", ""), "exactly one of");
  rejects(base + "static_key_file = x.key\n", "exactly one of");
  rejects(base + "peer = 2 127.0.0.1:7009 " + pub_hex() + "\n", "listed twice");
  rejects(base + "peer = 1 127.0.0.1:7009 " + pub_hex() + "\n", "own id");
  rejects(base + "peer = 4 127.0.0.1:7009 " + p2 + "\n", "shares a static key");
  rejects(base + "peer = 4 127.0.0.1:7009 " + std::string(64, '0') + "\n", "all-zero");
  rejects(base + "peer = 4 127.0.0.1:7009\n", "expected: peer");
  rejects(base + "peer = 4 127.0.0.1:7009 " + pub_hex() + " extra\n", "expected: peer");
  rejects("version = 1\nid = 1\nlisten = a:1\nstatic_key = " + kKey1 + "\n", "no peers");
  rejects(base + std::string("id\x01 = 3\n"), "control character");
  rejects(std::string("version = 1\0", 12), "NUL");
  rejects(std::string(kMaxConfigBytes + 1, '#'), "larger than 1 MiB");
}

TEST_CASE("static key files") {
  TempDir dir;
  auto key = X25519KeyPair::generate();
  fs::path file = dir.path() / "party.key";
  REQUIRE(write_static_key_file(file, key));
  CHECK((fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  CHECK_FALSE(write_static_key_file(file, key));  // never overwritten
  auto back = read_static_key_file(file);
  REQUIRE(back);
  CHECK(back->public_key() == key.public_key());

  // Referenced relative to the configuration file.
  auto peer = X25519KeyPair::generate();
  std::string text = "version = 1\nid = 2\nlisten = 0.0.0.0:0\nstatic_key_file = party.key\npeer = 1 10.0.0.1:5000 " +
                     to_hex(peer.public_key()) + "\n";
  {
    std::ofstream out(dir.path() / "party.conf");
    out << text;
  }
  auto loaded = load_party_config(dir.path() / "party.conf");
  REQUIRE(loaded);
  CHECK(loaded->static_key.public_key() == key.public_key());
  CHECK(loaded->listen_port == 0);

  SECTION("readable by others") {
    fs::permissions(file, fs::perms::owner_read | fs::perms::group_read);
    auto r = read_static_key_file(file);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("chmod 600") != std::string::npos);
  }
  SECTION("malformed") {
    fs::path bad = dir.path() / "bad.key";
    {
      std::ofstream out(bad);
      out << "zz\n";
    }
    fs::permissions(bad, fs::perms::owner_read | fs::perms::owner_write);
    CHECK_FALSE(read_static_key_file(bad));
    CHECK_FALSE(read_static_key_file(dir.path() / "missing.key"));
  }
  SECTION("missing configuration file") { CHECK_FALSE(load_party_config(dir.path() / "none.conf")); }
}

TEST_CASE("host:port parsing") {
  CHECK(parse_host_port("localhost:1", false)->first == "localhost");
  CHECK(parse_host_port("[fe80::1]:65535", false)->second == 65535);
  CHECK(parse_host_port("0.0.0.0:0", true)->second == 0);
  CHECK_FALSE(parse_host_port("0.0.0.0:0", false));
  CHECK_FALSE(parse_host_port(":1", false));
  CHECK_FALSE(parse_host_port("[]:1", false));
  CHECK_FALSE(parse_host_port("[::1]1", false));
  CHECK_FALSE(parse_host_port("a:b", false));
}

namespace {

std::string config_refusal(const std::string& text) {
  auto r = parse_party_config(text, ".");
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::InvalidInput);
  return r.error().message;
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("a peer line needs a peer id from 1") {
  std::string base = good_text(pub_hex(), pub_hex());
  for (const char* id : {"0", "x", "-4", "4294967296", "04"}) {
    INFO(id);
    CHECK(config_refusal(base + "peer = " + id + " 127.0.0.1:7009 " + pub_hex() + "\n") ==
          "party config line 9: peer id must be a number from 1 to 4294967295");
  }
}

TEST_CASE("a peer line needs a static key of 64 hex digits") {
  std::string base = good_text(pub_hex(), pub_hex());
  std::string key = pub_hex();
  for (const std::string& bad : {key.substr(2), key + "00", std::string(64, 'g'), "0x" + key.substr(2)}) {
    INFO(bad);
    CHECK(config_refusal(base + "peer = 4 127.0.0.1:7009 " + bad + "\n") ==
          "party config line 9: peer static key must be 64 hex digits");
  }
}

TEST_CASE("a configuration lists at most 4096 peers") {
  std::string text = "version = 1\nid = 1\nlisten = 127.0.0.1:7001\nstatic_key = " + kKey1 + "\n";
  for (PartyId id = 2; id <= kMaxPeers + 1; ++id) {
    text += "peer = " + std::to_string(id) + " 10.0.0.1:7000 " + to_hex(random_bytes(32)) + "\n";
  }
  auto most = parse_party_config(text, ".");
  REQUIRE(most);
  CHECK(most->peers.size() == kMaxPeers);
  text += "peer = " + std::to_string(kMaxPeers + 2) + " 10.0.0.1:7000 " + to_hex(random_bytes(32)) + "\n";
  CHECK(config_refusal(text) == "party config line " + std::to_string(kMaxPeers + 5) + ": more than 4096 peers");
}

TEST_CASE("a configuration without id or listen address is refused by name") {
  std::string base = good_text(pub_hex(), pub_hex());
  auto without = [&](const std::string& line) {
    std::string t = base;
    t.erase(t.find(line), line.size());
    return t;
  };
  CHECK(config_refusal(without("id = 1\n")) == "party config line 7: missing 'id'");
  CHECK(config_refusal(without("listen = 127.0.0.1:7001   # inline comment\n")) == "party config line 7: missing 'listen'");
}

TEST_CASE("static key files: each refusal for its own reason") {
  TempDir dir;
  SECTION("a directory or a missing file is not a key file") {
    fs::create_directory(dir.path() / "keys");
    auto directory = read_static_key_file(dir.path() / "keys");
    REQUIRE_FALSE(directory);
    CHECK(directory.error().kind == ErrorKind::Storage);
    CHECK(directory.error().message == "static key file: " + (dir.path() / "keys").string() + " is not a regular file");
    const fs::path missing = dir.path() / "missing.key";
    auto absent = read_static_key_file(missing);
    REQUIRE_FALSE(absent);
    CHECK(absent.error().kind == ErrorKind::Storage);
    CHECK(absent.error().message == "static key file: cannot open " + missing.string() + ": " + std::strerror(ENOENT));
  }
  SECTION("text that is not 64 hex digits") {
    fs::path bad = dir.path() / "bad.key";
    for (const std::string& text : {std::string("zz\n"), std::string(63, 'a') + "\n", std::string(66, 'a'), std::string()}) {
      fs::remove(bad);
      write_file(bad, text);
      fs::permissions(bad, fs::perms::owner_read | fs::perms::owner_write);
      auto r = read_static_key_file(bad);
      INFO(text);
      REQUIRE_FALSE(r);
      CHECK(r.error().kind == ErrorKind::Storage);
      CHECK(r.error().message == "static key file " + bad.string() + ": expected 64 hex digits");
    }
  }
  SECTION("a degenerate private key") {
    fs::path zero = dir.path() / "zero.key";
    write_file(zero, std::string(64, '0') + "\n");
    fs::permissions(zero, fs::perms::owner_read | fs::perms::owner_write);
    auto r = read_static_key_file(zero);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::Storage);
    CHECK(r.error().message.rfind("static key file " + zero.string() + ": ", 0) == 0);
    CHECK(r.error().message.find("degenerate") != std::string::npos);
  }
  SECTION("an existing file is never overwritten") {
    fs::path file = dir.path() / "party.key";
    write_file(file, "keep me\n");
    auto s = write_static_key_file(file, X25519KeyPair::generate());
    REQUIRE_FALSE(s);
    CHECK(s.error().kind == ErrorKind::Storage);
    CHECK(s.error().message == "static key file " + file.string() + ": " + std::strerror(EEXIST));
    std::ifstream in(file);
    std::string kept;
    std::getline(in, kept);
    CHECK(kept == "keep me");
  }
}

TEST_CASE("loading a party configuration file: refusals name the file") {
  TempDir dir;
  SECTION("a missing file") {
    fs::path none = dir.path() / "none.conf";
    auto r = load_party_config(none);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::Storage);
    CHECK(r.error().message == "party config: cannot open " + none.string() + ": " + std::strerror(ENOENT));
  }
  SECTION("a file larger than 1 MiB is refused by its size") {
    fs::path big = dir.path() / "big.conf";
    write_file(big, std::string(kMaxConfigBytes + 1, '#'));
    auto r = load_party_config(big);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::InvalidInput);
    CHECK(r.error().message == "party config: " + big.string() + " is larger than " + std::to_string(kMaxConfigBytes) + " bytes");
  }
  SECTION("a malformed file") {
    fs::path bad = dir.path() / "bad.conf";
    write_file(bad, "version = 1\nid = 1\ncolour = blue\n");
    auto r = load_party_config(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::InvalidInput);
    CHECK(r.error().message == bad.string() + ": party config line 3: unknown key 'colour'");
  }
}

TEST_CASE("a static key file that cannot be written whole is refused and removed") {
  TempDir dir;
  auto key = X25519KeyPair::generate();
  for (auto call : {test::Syscall::Write, test::Syscall::Fsync, test::Syscall::Close}) {
    INFO(static_cast<int>(call));
    const fs::path file = dir.path() / "party.key";
    {
      test::SyscallFault fault(call);
      auto written = write_static_key_file(file, key);
      REQUIRE(fault.fired());
      REQUIRE_FALSE(written);
      CHECK(written.error().message.find("static key file") != std::string::npos);
    }
    // Nothing half-written is left to be refused later: a retry succeeds.
    CHECK_FALSE(fs::exists(file));
    REQUIRE(write_static_key_file(file, key));
    fs::remove(file);
  }
}

TEST_CASE("configuration and static key files behind a symbolic link or a FIFO are refused without blocking") {
  TempDir dir;
  auto key = X25519KeyPair::generate();
  const fs::path real = dir.path() / "real.key";
  REQUIRE(write_static_key_file(real, key));
  fs::create_symlink(real, dir.path() / "link.key");
  auto via_link = read_static_key_file(dir.path() / "link.key");
  REQUIRE_FALSE(via_link);
  CHECK(via_link.error().message == "static key file: " + (dir.path() / "link.key").string() + " is a symbolic link");

  const fs::path fifo = dir.path() / "party.conf";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto from_fifo = load_party_config(fifo);  // would block forever if opened for a blocking read
  REQUIRE_FALSE(from_fifo);
  CHECK(from_fifo.error().message.find("not a regular file") != std::string::npos);
  CHECK_FALSE(read_static_key_file(fifo));
}

TEST_CASE("a configuration file that cannot be read names the file and the reason") {
  TempDir dir;
  const fs::path file = dir.path() / "party.conf";
  {
    std::ofstream out(file);
    out << "version = 1\n";
  }
  test::SyscallFault fault(test::Syscall::Read);
  auto loaded = load_party_config(file);
  REQUIRE(fault.fired());
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().kind == ErrorKind::Storage);
  CHECK(loaded.error().message.find("cannot read " + file.string()) != std::string::npos);
}
