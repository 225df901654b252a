"""What crawl processes send the archive writer on the items stream, written as JSON.

Every stream entry has one field, ``message``: a JSON object whose ``kind`` says what it is:

* ``article``, ``rejected``, ``not_modified``, ``gone``: an item that left the crawl's
  extraction and dateline pipelines (:mod:`pipelines.items`), for the writer to deduplicate
  and store. An article goes without its page's bytes (the WARC files keep them, and storage
  never reads them) and with its body's near-duplicate signature, so that the writer does
  not compute it again;
* ``run_started``, ``run_finished``: a crawl process's run, for its ``crawl_runs`` row.

Each names the crawl process's ``run``: the process's name in the frontier
(:data:`crawler.frontier.keys.PROCESS_NAME`, unique across machines). JSON, not pickle: whoever can write
to the Redis server must not be able to run code in the writer.
"""

import base64
import dataclasses
import json

import numpy as np

from pipelines.items import ArticleGone, ArticleItem, ArticleNotModified, RejectedPage
from pipelines.neardup import Signature

ITEM_KINDS = {"article": ArticleItem, "rejected": RejectedPage, "not_modified": ArticleNotModified, "gone": ArticleGone}
KIND_OF = {cls: kind for kind, cls in ITEM_KINDS.items()}
RUN_KINDS = ("run_started", "run_finished")
# The page's bytes; the signature goes as its own field; dated and located are used up before.
NOT_SENT = ("body", "dated", "signed", "located")


class MalformedMessage(ValueError):
    """A stream entry that is not a message of this project (or of this version of it)."""


def encode_item(item, run: str) -> bytes:
    kind = KIND_OF[type(item)]
    fields = {field.name: getattr(item, field.name) for field in dataclasses.fields(item) if field.name not in NOT_SENT}
    if kind == "article" and item.signed is not None and item.signed[0] == item.text:
        signature = item.signed[1]
        fields["signature"] = {"shingles": base64.b64encode(signature.shingles.astype("<u8").tobytes()).decode("ascii"),
                               "bands": list(signature.bands)}
    return json.dumps({"kind": kind, "run": run, "item": fields}, ensure_ascii=False).encode("utf-8")


def encode_run(kind: str, run: str, fields: dict) -> bytes:
    return json.dumps({"kind": kind, "run": run, "fields": fields}, ensure_ascii=False, default=str).encode("utf-8")


def decode(data: bytes) -> dict:
    """``{"kind", "run", and "item" (the item itself) or "fields"}``; MalformedMessage when it is not one."""
    try:
        message = json.loads(data)
        kind, run = message["kind"], message["run"]
        if kind in RUN_KINDS:
            return {"kind": kind, "run": run, "fields": dict(message["fields"])}
        fields = dict(message["item"])
        signature = fields.pop("signature", None)
        if kind == "article":
            fields["body"] = b""
        item = ITEM_KINDS[kind](**fields)
    except (ValueError, KeyError, TypeError) as error:
        raise MalformedMessage(f"{type(error).__name__}: {error}") from None
    if kind == "article":
        item.tags, item.via, item.same_story = list(item.tags), list(item.via), tuple(item.same_story)
        if signature is not None:
            shingles = np.frombuffer(base64.b64decode(signature["shingles"]), dtype="<u8").astype(np.uint64)
            item.signed = (item.text, Signature(shingles, tuple(signature["bands"])))
    return {"kind": kind, "run": run, "item": item}
