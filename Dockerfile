# syntax=docker/dockerfile:1
#
# pushguard's container image: a static binary on distroless, run as a
# non-root user. Build it with
#
#   docker build --build-arg VERSION=v1.2.3 -t registry.example.com/pushguard:v1.2.3 .
#
# and for several platforms with `docker buildx build --platform
# linux/amd64,linux/arm64 ...`: the build stage runs on the builder's own
# platform and cross-compiles. No secret is baked in: the App's key, webhook
# secret, fingerprint key and REDIS_URL come at run time from the
# environment or from files (the *_FILE variables, mounted secrets).
# manifest_test.go runs this file's go build command outside Docker.

FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src
# Modules first, so a change to the code alone reuses this layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG TARGETOS
ARG TARGETARCH
# /data, owned by the runtime user, for the credentials file the setup page
# writes (PUSHGUARD_CREDENTIALS_FILE): a volume mounted there inherits it.
RUN mkdir -p /out/data
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w -X github.com/pushguard/pushguard/app.Version=${VERSION}" -o /out/pushguard .

# static-debian12 has CA certificates, tzdata and /etc/passwd, and nothing
# else: no shell, no package manager. :nonroot runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pushguard /pushguard
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
EXPOSE 8080
# No HEALTHCHECK: the image has no shell or curl to run one. Orchestrators
# probe over HTTP instead: GET /healthz (the process is up: liveness) and GET
# /readyz (Redis reachable, GitHub credentials loaded: readiness), on
# PUSHGUARD_ADDR (:8080) for both serve and worker; see deploy/.
ENTRYPOINT ["/pushguard"]
CMD ["serve"]
