"""The baseline for ``python -m benchmarks http``: a bare FastAPI route on the same server stack."""
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def root() -> dict:
    return {"ok": True}
