// OpenSSL 3 libssl + libcrypto (Debian: libssl-dev).
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/x509v3.h> // X509_CHECK_FLAG_* for TLS host-name verification
