# Finds libsecp256k1 (Debian: libsecp256k1-dev) and defines Secp256k1::Secp256k1.
find_path(SECP256K1_INCLUDE_DIR secp256k1.h)
find_library(SECP256K1_LIBRARY NAMES secp256k1)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Secp256k1 REQUIRED_VARS SECP256K1_LIBRARY SECP256K1_INCLUDE_DIR)
if(Secp256k1_FOUND AND NOT TARGET Secp256k1::Secp256k1)
  add_library(Secp256k1::Secp256k1 UNKNOWN IMPORTED)
  set_target_properties(Secp256k1::Secp256k1 PROPERTIES
    IMPORTED_LOCATION "${SECP256K1_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SECP256K1_INCLUDE_DIR}")
endif()
mark_as_advanced(SECP256K1_INCLUDE_DIR SECP256K1_LIBRARY)
