#include "ggm.hpp"

#include <sodium.h>

#include <cstring>

#include "primitives.hpp"

namespace tsign::ot::detail {

namespace {

// The tree's length-doubling PRG: ChaCha20 under the node, with a nonce of its own.
void expand_node(const Seed node, std::uint8_t out[64]) {
  static const std::uint8_t kNonce[12] = {'t', 's', 'i', 'g', 'n', '/', 'o', 't', '/', 'g', 'g', 'm'};
  prg(node, kNonce, {out, 64});
}

void xor_into(Seed dst, const std::uint8_t* src) {
  for (int i = 0; i < 32; ++i) dst[i] ^= src[i];
}

}  // namespace

void ggm_expand(const Seed root, Seed leaves[kLeaves], Seed sums[kSoftSpokenK][2]) {
  // nodes[p] at depth d, p's bit l being the branch taken at level l.
  Seed nodes[kLeaves], next[kLeaves];
  std::memcpy(nodes[0], root, 32);
  std::uint8_t children[64];
  for (std::size_t level = 0; level < kSoftSpokenK; ++level) {
    const std::size_t width = std::size_t{1} << level;
    std::memset(sums[level], 0, sizeof sums[level]);
    for (std::size_t p = 0; p < width; ++p) {
      expand_node(nodes[p], children);
      std::memcpy(next[p], children, 32);
      std::memcpy(next[p + width], children + 32, 32);
      xor_into(sums[level][0], children);
      xor_into(sums[level][1], children + 32);
    }
    std::memcpy(nodes, next, sizeof(Seed) * 2 * width);
  }
  std::memcpy(leaves, nodes, sizeof nodes);
  sodium_memzero(nodes, sizeof nodes);
  sodium_memzero(next, sizeof next);
  sodium_memzero(children, sizeof children);
}

void ggm_puncture(unsigned delta, const Seed known[kSoftSpokenK], Seed rel[kLeaves]) {
  // rel[y] holds the node at actual prefix y XOR (δ's low bits); rel[0] is on δ's path, unknown.
  Seed cur[kLeaves], next[kLeaves];
  std::memset(cur, 0, sizeof cur);
  std::memcpy(cur[1], known[0], 32);  // depth 1: the node on the side away from δ_0
  std::uint8_t children[64];
  for (std::size_t level = 1; level < kSoftSpokenK; ++level) {
    const std::size_t width = std::size_t{1} << level;
    const auto bit = static_cast<std::uint8_t>((delta >> level) & 1);
    std::memset(next, 0, sizeof next);
    // Children of known nodes: the actual branch b sits at relative bit b XOR δ_l.
    for (std::size_t y = 1; y < width; ++y) {
      expand_node(cur[y], children);
      select_bytes(bit, {children + 32, 32}, {children, 32}, {next[y], 32});
      select_bytes(bit, {children, 32}, {children + 32, 32}, {next[y + width], 32});
    }
    // The sibling of δ's path at this level: the known level sum minus the other nodes on its side.
    std::memcpy(next[width], known[level], 32);
    for (std::size_t y = 1; y < width; ++y) xor_into(next[width], next[y + width]);
    std::memcpy(cur, next, sizeof(Seed) * 2 * width);
  }
  std::memcpy(rel, cur, sizeof cur);
  sodium_memzero(cur, sizeof cur);
  sodium_memzero(next, sizeof next);
  sodium_memzero(children, sizeof children);
}

}  // namespace tsign::ot::detail
