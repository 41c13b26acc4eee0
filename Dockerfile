# The tracker binary with the web app and the dataset embedded.
# CI does not build this image (no Docker engine runs there); `make run` is the tested path.
FROM node:20-bookworm AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist ./frontend/dist
RUN CGO_ENABLED=0 go build -buildvcs=false -trimpath -o /out/tracker ./cmd/tracker

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tracker /tracker
EXPOSE 8080
ENTRYPOINT ["/tracker"]
CMD ["serve"]
