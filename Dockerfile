# tickerwatch: the service image used by docker-compose.yml (app and workers).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 tickerwatch
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ingest ./ingest
COPY diffing ./diffing
COPY storage ./storage
COPY scheduler ./scheduler
COPY alerts ./alerts
COPY web ./web
COPY tickerwatch ./tickerwatch
RUN pip install .

USER tickerwatch
EXPOSE 8080
CMD ["tickerwatch", "run"]
