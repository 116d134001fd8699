"""The local stand-in for the SNS alerts topic: messages appended to a JSON-lines file."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()


def outbox_file(lake_dir: str | Path) -> Path:
    return Path(lake_dir) / "_local" / "outbox" / "sns.jsonl"


def publish(lake_dir: str | Path, topic_arn: str, message: str, subject: str | None = None) -> str:
    message_id = str(uuid.uuid4())
    record = {
        "MessageId": message_id,
        "TopicArn": topic_arn,
        "Subject": subject,
        "Message": message,
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    path = outbox_file(lake_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    return message_id


def publish_alert(lake_dir: str | Path, subject: str, message: str) -> None:
    """Used by the Airflow failure callback on the local target."""
    from lakehouse.local.statemachine_local import LOCAL_TOPIC_ARN

    publish(lake_dir, LOCAL_TOPIC_ARN, message, subject)


def messages(lake_dir: str | Path) -> list[dict[str, Any]]:
    path = outbox_file(lake_dir)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
