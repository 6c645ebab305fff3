# syntax=docker/dockerfile:1.7
# TravelSense image: `travelsense` built with the Swift toolchain on Debian 12, run on debian:bookworm-slim.
#
#   docker build -t travelsense .                 # the production image (last stage, `runtime`)
#   docker build --target dev -t travelsense-dev . # the toolchain image docker-compose.dev.yml runs
#
# Builder and runtime must be the same Debian release: the binary links the distribution's libpq5,
# libhiredis0.14 (a soname only Debian 12 ships), libssl3 and zlib1g, so bumping one image means bumping both.
# Keep SWIFT_IMAGE in step with the `container:` images in .github/workflows/ci.yml
# (scripts/lint/containers.sh checks that they agree).
ARG SWIFT_IMAGE=swift:6.3.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------------------
# toolchain: Swift plus the headers of the C libraries Package.swift's systemLibrary targets link.
FROM ${SWIFT_IMAGE} AS toolchain
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libhiredis-dev \
        libpq-dev \
        libssl-dev \
        pkg-config \
        zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*

# ---------------------------------------------------------------------------------------------------------
# build: the release binary and its resource bundles, collected under /out in their final layout.
FROM toolchain AS build
WORKDIR /build
# Manifest first: dependencies are fetched in their own layer, redone only when Package.swift or
# Package.resolved changes. Package.resolved is gitignored, so the glob keeps this COPY working without it
# (then every fresh build resolves the newest versions Package.swift allows).
COPY Package.* ./
# Fills SwiftPM's shared repository cache (~/.cache/org.swift.swiftpm) in this layer; the build below
# checks out from it instead of the network.
RUN swift package resolve
# Tests/ and bench/ are copied although nothing from them is built: Package.swift declares targets there,
# and SwiftPM refuses to load a package whose target directories are missing, even to build one product.
COPY Sources ./Sources
COPY Tests ./Tests
COPY bench ./bench
# .build is a BuildKit cache mount (incremental rebuilds on one builder; CI starts it empty and relies on the
# layer cache instead), so the binary and bundles are copied out in the same RUN. --strip-debug drops DWARF
# (about 11 MB) and keeps the symbol table, so a crash backtrace still names functions.
RUN --mount=type=cache,id=travelsense-swiftpm-release,target=/build/.build,sharing=locked \
    swift build -c release --static-swift-stdlib --product travelsense \
    && bin="$(swift build -c release --static-swift-stdlib --show-bin-path)" \
    && install -d /out/usr/local/bin /out/usr/share/doc/travelsense \
    && install -m 0755 "$bin/travelsense" /out/usr/local/bin/travelsense \
    && strip --strip-debug /out/usr/local/bin/travelsense \
    && cp -R "$bin"/*.resources /out/usr/local/bin/ \
    && cp Sources/Trips/Resources/ATTRIBUTION.md /out/usr/share/doc/travelsense/GEONAMES-ATTRIBUTION.md

# ---------------------------------------------------------------------------------------------------------
# dev: the toolchain image for docker-compose.dev.yml. The source tree is bind-mounted at /app and the build
# directory is a named volume, so a container restart rebuilds incrementally and runs the new code; the
# compose command (serve, migrate, ...) is appended to `swift run ... travelsense`.
FROM toolchain AS dev
WORKDIR /app
ENV HOST=0.0.0.0 \
    PORT=8080
EXPOSE 8080
ENTRYPOINT ["swift", "run", "--scratch-path", "/var/cache/travelsense-build", "travelsense"]
CMD ["serve"]

# ---------------------------------------------------------------------------------------------------------
# runtime: the production image (the default target, being last).
FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="travelsense" \
      org.opencontainers.image.description="TravelSense API server, job worker and migrator (one executable)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="debian:bookworm-slim"
# Exactly what the binary loads (`ldd` on a --static-swift-stdlib build: libpq.so.5, libhiredis.so.0.14,
# libssl.so.3 + libcrypto.so.3, libz.so.1, libstdc++.so.6, libgcc_s.so.1, glibc; Foundation is linked in
# statically, so no libicu/libxml2/libcurl), plus the data it reads at run time: ca-certificates for outbound
# TLS (SMTP, Nominatim, Open-Meteo, S3) and tzdata for trip time zones. libstdc++6/libgcc-s1/zlib1g are
# already in the base image; they are listed because the binary needs them, not because apt will add them.
# The numeric user 10001 matches the Kubernetes securityContext (runAsUser/runAsGroup 10001).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates \
        libgcc-s1 \
        libhiredis0.14 \
        libpq5 \
        libssl3 \
        libstdc++6 \
        tzdata \
        zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 travelsense \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin travelsense
# The binary at /usr/local/bin/travelsense and its SwiftPM resource bundles beside it
# (travelsense_Trips.resources/cities15000.tsv, where the gazetteer looks by default, GAZETTEER_FILE overrides;
# travelsense_Export.resources/DejaVuSans*.ttf and DroidSansFallbackFull.ttf for PDFs, FONT_DIR overrides).
COPY --from=build /out/ /
USER 10001:10001
# Fails the build if a shared library is missing, or the gazetteer or the PDF fonts are not where the
# server looks for them.
RUN travelsense version \
    && test -r /usr/local/bin/travelsense_Trips.resources/cities15000.tsv \
    && test -r /usr/local/bin/travelsense_Export.resources/DejaVuSans.ttf \
    && test -r /usr/local/bin/travelsense_Export.resources/DejaVuSans-Bold.ttf \
    && test -r /usr/local/bin/travelsense_Export.resources/DroidSansFallbackFull.ttf
EXPOSE 8080
# There is no curl or wget in this image and `travelsense` has no probe subcommand, so the check is a raw
# HTTP/1.1 GET /healthz over bash's /dev/tcp (bash is part of the base image): healthy when the status line
# says 200. /healthz needs no dependency, so a database outage never marks the container unhealthy (that is
# /readyz's job). `serve` and `work` both answer it on PORT; `migrate` exits before the first check counts.
# Kubernetes ignores HEALTHCHECK (it has its own probes); Docker and Compose use it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>\"/dev/tcp/127.0.0.1/${PORT:-8080}\" && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 4 _ status _ <&3 && [ \"$status\" = 200 ]"]
ENTRYPOINT ["travelsense"]
CMD ["serve"]
