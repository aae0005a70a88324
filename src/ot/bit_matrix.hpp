#pragma once
// Bit matrices stored row by row, each row a whole number of little-endian 64-bit words (bit j of
// a row is bit j % 64 of word j / 64). The OT extension builds its matrix column by column (one
// PRG stream per column) and reads it row by row (one row per OT), hence the transpose.
#include <cstddef>
#include <cstdint>
#include <span>

namespace tsign::ot {

// Transposes a 64x64 block in place: afterwards bit j of block[i] is the former bit i of block[j].
void transpose_64x64(std::uint64_t block[64]);

// in: `rows` rows of `cols` bits; out: `cols` rows of `rows` bits. Both multiples of 64.
void transpose_bits(std::span<const std::uint64_t> in, std::size_t rows, std::size_t cols,
                    std::span<std::uint64_t> out);

}  // namespace tsign::ot
