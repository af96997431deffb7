# syntax=docker/dockerfile:1
#
# Chatbot container image: `docker build -t ai-chatbot .` from the repository root.
#
# The same image runs every subcommand of the `chatbot` executable:
#   docker run -p 3000:3000 ai-chatbot                         # serve (the default)
#   docker run --rm -e POSTGRES_URL=... ai-chatbot migrate     # migrations, e.g. from a workstation
#   docker run --rm -e AWS_REGION=... ai-chatbot doctor        # configuration and model access report
#   docker run --rm ai-chatbot ask "Hello"                     # one prompt from the command line
#
# Two stages: the Swift toolchain image compiles a release binary with the Swift
# standard library and Foundation linked statically, and a plain Ubuntu image runs
# it. The runtime image therefore needs no Swift runtime at all: only glibc,
# libstdc++/libgcc (already in the base image), zlib (HTTP compression, also in the
# base image), CA certificates and time-zone data.

# ================================================================ base images
# Both base images by tag and, once pinned, by digest: `name:tag@sha256:...`
# keeps the tag readable and makes the build reproducible (a tag moves; a
# digest does not). scripts/pin-base-images writes the current digests of the
# two tags into these lines (it asks the registry with `docker buildx imagetools
# inspect`); run it to pick up a base-image security fix, and commit the change.
# Until it has been run the lines carry tags only: no digest is written here
# that was not read from the registry.
# checkov cannot see through an ARG in FROM, hence this skip: the tags are right above.
# checkov:skip=CKV_DOCKER_7:The base images are ARGs set right above to explicit version tags (swift:6.3-noble, ubuntu:noble), and scripts/pin-base-images adds digests.
ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:noble

# ================================================================ build stage
# The toolchain matches the one the project is developed with (Swift 6.3); the
# manifest needs tools version 6.2 or newer.
FROM ${SWIFT_IMAGE} AS build

WORKDIR /build

# Resolve dependencies on their own layer so that editing sources does not
# re-download packages. `Package.*` also picks up Package.resolved when the
# repository has one; with it, the resolved versions are used exactly.
# .build is a BuildKit cache mount here and below: checkouts and compiled
# modules survive between builds, so a one-line change recompiles one module
# instead of the whole dependency tree.
COPY Package.* ./
RUN --mount=type=cache,id=chatbot-swiftpm-build,target=/build/.build \
    if [ -f Package.resolved ]; then \
        swift package resolve --force-resolved-versions; \
    else \
        swift package resolve; \
    fi

COPY Sources ./Sources

# SwiftPM loads the whole manifest, so the folders of the targets that live
# outside Sources/ must exist; empty is enough, since only `chatbot` is built.
# Their sources are copied after the build (test stage), so editing a test or
# a benchmark does not invalidate the release build's layer.
RUN mkdir -p Tests/Support/BedrockFake Tests/Support/TestSupport Tests/Support/fake-bedrock Benchmarks/chatbot-bench

# The exact command the project's test script runs (scripts/test), so a green
# test run means this step compiles. The same step stages what the runtime
# image gets (the cache mount is gone after it): the binary, any SwiftPM
# resource bundles built next to it, and the static crash backtracer so that a
# crash prints a symbolicated backtrace to the logs (CloudWatch) instead of
# nothing.
RUN --mount=type=cache,id=chatbot-swiftpm-build,target=/build/.build \
    swift build -c release --static-swift-stdlib --product chatbot \
    && mkdir /staging \
    && bin="$(swift build -c release --show-bin-path)" \
    && cp "$bin/chatbot" /staging/chatbot \
    && find -L "$bin/" -maxdepth 1 -name '*.resources' -exec cp -Ra {} /staging/ \; \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/swift-backtrace-static

# ================================================================= test stage
# Not part of the runtime image (BuildKit builds only the stages the target
# needs): `docker build --target test .` compiles the tests on top of the
# release build's layers, e.g. to check the image's toolchain builds them.
FROM build AS test
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
RUN --mount=type=cache,id=chatbot-swiftpm-build,target=/build/.build \
    swift build --build-tests

# ============================================================== runtime stage
FROM ${RUNTIME_IMAGE} AS runtime

# ca-certificates: TLS to Bedrock and the other AWS endpoints.
# tzdata: Foundation's TimeZone reads /usr/share/zoneinfo.
# libstdc++6, libgcc-s1, zlib1g: what the static-stdlib binary still links
#   dynamically; the base image has them today, naming them keeps that true.
# libjs-marked: Markdown rendering in the browser; the app reads browser
#   libraries from /usr/share/javascript (VENDOR_JS_DIR, its default).
# libjs-highlight.js: syntax highlighting in the artifact panel's code editor.
# >>> UI vendor scripts: add further Debian/Ubuntu libjs-* packages here (for
# >>> example DOMPurify) if the web front end starts loading them from /vendor.
#
# The same layer creates an unprivileged system user that owns nothing but the
# data folder (SQLite fallback when POSTGRES_URL is not set); the binary and
# static files stay root-owned and read-only to the process.
#
# Package versions are not pinned (DL3008): Ubuntu's archive keeps only the
# newest build of each package in -updates and -security, so a pin breaks the
# build at the next security fix, and unpinned is what picks that fix up.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates \
        tzdata \
        libstdc++6 \
        libgcc-s1 \
        zlib1g \
        libjs-marked \
        libjs-highlight.js \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 chatbot \
    && useradd --system --uid 10001 --gid chatbot --home-dir /app --no-create-home --shell /usr/sbin/nologin chatbot \
    && mkdir -p /app/data \
    && chown chatbot:chatbot /app/data

WORKDIR /app
COPY --from=build /staging/ /app/
COPY Public/ /app/Public/

# Defaults for a container deployment; every one can be overridden with -e, by
# App Runner's runtime environment or by the ECS task's environment.
#   CHATBOT_ENV=production: AUTH_SECRET is required and logs are JSON lines.
#   MODEL_PROVIDER=bedrock: the image is meant for AWS.
#   PUBLIC_DIR / DATA_DIR absolute, so a different --workdir changes nothing.
#   SWIFT_BACKTRACE: use the static backtracer copied above; never wait for a
#   debugger, and keep secrets out of the trace (sanitize).
ENV PATH="/app:${PATH}" \
    CHATBOT_ENV=production \
    MODEL_PROVIDER=bedrock \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    PUBLIC_DIR=/app/Public \
    DATA_DIR=/app/data \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

# Numeric, so a runtime that checks "non-root" without reading /etc/passwd can.
USER 10001:10001

EXPOSE 3000

# Docker's own health check (docker run, Docker Compose); App Runner and ECS
# Express Mode ignore it and use their own health check on the same path. The runtime image carries no
# curl, so this speaks HTTP/1.0 over bash's /dev/tcp to the port the server
# really listens on ($PORT): no extra package and its CVEs for a one-line
# request. `timeout` bounds a server that accepts but never answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3000} && printf 'GET /api/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && timeout 4 head -n 1 <&3 | grep -q ' 200 '"]

# The binary is PID 1 and handles SIGTERM itself (graceful shutdown).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/chatbot"]
CMD ["serve"]
