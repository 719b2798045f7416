# The same build as `make install`, on a slim Python image. By default one container runs the
# API on port 8000 and one solve worker beside it, on SQLite in the volume /app/var:
#     docker build -t gd-pairing . && docker run -p 8000:8000 -v gdp-var:/app/var gd-pairing
# Past one machine: docker-compose.yml (PostgreSQL, API processes and workers apart).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY solver ./solver
COPY service ./service
COPY data ./data
COPY scripts ./scripts
RUN pip install --no-cache-dir .
# Fewer malloc arenas: threads of the API give memory back instead of keeping an arena each.
ENV PYTHONUNBUFFERED=1 DATA_DIR=/app/var MALLOC_ARENA_MAX=2
VOLUME ["/app/var"]
EXPOSE 8000
# SIGTERM (docker stop) ends the API gracefully and the worker hands its running plans back.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "service", "serve", "--host", "0.0.0.0", "--port", "8000"]
