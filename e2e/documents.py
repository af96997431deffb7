"""Puts documents, suggestions and document-tool cards into the e2e server's own database.

The document API only adds versions to documents the model created, and until the fake model can
script the document tools, nothing else creates one. So the artifact tests write the rows the tools
would write (documents, suggestions, and a `tool-createDocument` part on a stored answer), into the
real database the server uses, SQLite or PostgreSQL, and then drive the real pages and API.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import time
import uuid


class Database:
    def __init__(self, postgres_url=None, sqlite_path=None):
        self.postgres_url = postgres_url
        self.sqlite_path = sqlite_path

    def _psql(self, sql, **params):
        tool = os.path.join(os.environ["TEST_POSTGRES_BIN"], "psql") if os.environ.get("TEST_POSTGRES_BIN") else (shutil.which("psql") or "psql")
        # psql quotes :'name' variables itself; scripts read from stdin interpolate them.
        args = [tool, self.postgres_url.split("?")[0], "-qAtX", "-v", "ON_ERROR_STOP=1"]
        for name, value in params.items():
            args += ["-v", f"{name}={value}"]
        return subprocess.run(args, input=sql, check=True, capture_output=True, text=True).stdout.strip()

    def _sqlite(self, sql, params, fetch=False):
        with sqlite3.connect(self.sqlite_path, timeout=10) as connection:
            rows = connection.execute(sql, params).fetchall()
        return rows if fetch else None

    def chat_owner(self, chat_id):
        """(user id as stored, chat id as stored) of a chat."""
        if self.postgres_url:
            return self._psql("SELECT user_id FROM chats WHERE id = :'chat'::uuid;", chat=chat_id), chat_id
        row = self._sqlite("SELECT user_id, id FROM chats WHERE lower(id) = lower(?)", (chat_id,), fetch=True)[0]
        return row[0], row[1]

    def add_version(self, doc_id, chat_id, title, kind, content, at):
        user, chat = self.chat_owner(chat_id)
        if self.postgres_url:
            self._psql(
                "INSERT INTO documents (id, created_at, user_id, chat_id, title, kind, content) "
                "VALUES (:'id'::uuid, to_timestamp(:'at'::double precision), :'user'::uuid, :'chat'::uuid, :'title', :'kind', :'content');",
                id=doc_id, at=at, user=user, chat=chat, title=title, kind=kind, content=content)
        else:
            # Stored ids keep the case the server writes them in.
            stored = doc_id.upper() if chat.isupper() else doc_id
            self._sqlite("INSERT INTO documents (id, created_at, user_id, chat_id, title, kind, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (stored, at, user, chat, title, kind, content))

    def add_suggestion(self, doc_id, chat_id, version_at, original, suggested, description):
        user, chat = self.chat_owner(chat_id)
        sid = str(uuid.uuid4())
        if self.postgres_url:
            self._psql(
                "INSERT INTO suggestions (id, document_id, document_created_at, user_id, original_text, suggested_text, description, is_resolved, created_at) "
                "VALUES (:'sid'::uuid, :'doc'::uuid, to_timestamp(:'at'::double precision), :'user'::uuid, :'original', :'suggested', :'description', false, now());",
                sid=sid, doc=doc_id, at=version_at, user=user, original=original, suggested=suggested, description=description)
        else:
            upper = chat.isupper()
            self._sqlite(
                "INSERT INTO suggestions (id, document_id, document_created_at, user_id, original_text, suggested_text, description, is_resolved, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (sid.upper() if upper else sid, doc_id.upper() if upper else doc_id, version_at, user, original, suggested, description, time.time()))

    def add_tool_part(self, chat_id, part):
        """Appends a tool part to the chat's last answer."""
        if self.postgres_url:
            self._psql(
                "UPDATE messages SET parts = parts || jsonb_build_array(:'part'::jsonb) WHERE id = "
                "(SELECT id FROM messages WHERE chat_id = :'chat'::uuid AND role = 'assistant' ORDER BY created_at DESC LIMIT 1);",
                part=json.dumps(part), chat=chat_id)
            return
        mid, parts = self._sqlite("SELECT id, parts FROM messages WHERE lower(chat_id) = lower(?) AND role = 'assistant' ORDER BY created_at DESC LIMIT 1",
                                  (chat_id,), fetch=True)[0]
        self._sqlite("UPDATE messages SET parts = ? WHERE id = ?", (json.dumps(json.loads(parts) + [part]), mid))


def create_document(db, chat_id, title, kind, versions, tool_call="createDocument"):
    """Stores a document with the given contents as versions a second apart, and its card on the chat's
    last answer. Returns (document id, [version times])."""
    doc_id = str(uuid.uuid4())
    start = round(time.time() - len(versions) - 5, 3)
    times = [round(start + i, 3) for i in range(len(versions))]
    for content, at in zip(versions, times):
        db.add_version(doc_id, chat_id, title, kind, content, at)
    db.add_tool_part(chat_id, {
        "type": f"tool-{tool_call}", "toolCallId": f"tooluse_{doc_id[:8]}", "state": "output-available",
        "input": {"title": title, "kind": kind},
        "output": {"id": doc_id, "title": title, "kind": kind, "content": "A document was created and is now visible to the user."},
    })
    return doc_id, times
