# syntax=docker/dockerfile:1

# --- build: a virtualenv with the app and its pinned dependencies ----------------------------
FROM python:3.11-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir .

# --- runtime: slim, non-root ---------------------------------------------------------------
FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ASN_CAREER_ENV=production \
    ASN_CAREER_MIGRATIONS_DIR=/app/migrations \
    ASN_CAREER_DATA_DIR=/var/lib/asn-career \
    ASN_CAREER_WORKERS=2 \
    ASN_CAREER_PORT=8000

RUN groupadd --system --gid 10001 asn \
    && useradd --system --no-log-init --uid 10001 --gid asn --home-dir /app --shell /usr/sbin/nologin asn \
    && mkdir -p /var/lib/asn-career \
    && chown 10001:10001 /var/lib/asn-career

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY alembic.ini ./
COPY migrations ./migrations

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('ASN_CAREER_PORT', '8000')}/healthz\", timeout=4)"]

# Migrate, then serve. Set ASN_CAREER_DATABASE_URL (postgresql://user:pass@host/db) and
# ASN_CAREER_JWT_SECRET (or RS256 settings); ASN_CAREER_WORKERS sets the worker processes.
CMD ["sh", "-c", "asn-career migrate upgrade && exec asn-career serve --host 0.0.0.0 --port \"${ASN_CAREER_PORT}\" --workers \"${ASN_CAREER_WORKERS}\" --no-demo"]
