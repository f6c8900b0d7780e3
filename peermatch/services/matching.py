"""The matching index in a running app: build it, keep it fresh, answer suggestions.

Each process memory-maps the current index files read-only. The ``match_index_state`` row
says which build is current and how many rows are in use, so a process notices a rebuild
(new build id) or new members (more rows) on its next request, without copying anything.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from flask import current_app
from numpy.typing import NDArray
from sqlalchemy import func, select, update

from ..extensions import db
from ..matching.features import ProfileRow, ProfileVectorizer
from ..matching.index import (
    COLUMN_DTYPE,
    CONTACT_BITS,
    LANGUAGE_BITS,
    ROLE_BITS,
    MatchIndex,
    bits,
    region_key,
)
from ..matching.ranking import ReciprocalRanker, pack_priorities
from ..models import Conversation, MatchIndexState, Participant, Profile, User
from ..models.types import utcnow

log = logging.getLogger(__name__)

STATE_ID = 1
_PROFILE_COLUMNS = (
    Profile.user_id, Profile.stage, Profile.her2, Profile.hr, Profile.age_range,
    Profile.support_role, Profile.treatments, Profile.interests, Profile.topics,
    Profile.contact_modes, Profile.languages, Profile.country, Profile.region,
    Profile.open_to_matches, Profile.max_active_conversations, Profile.priorities,
    User.status, User.role,
)
VECTORIZER = ProfileVectorizer()
RANKER = ReciprocalRanker(VECTORIZER)


@dataclass
class _Mapped:
    build_id: str
    index: MatchIndex


_maps: dict[str, _Mapped] = {}  # per index directory, for this process
_maps_lock = threading.Lock()


def _directory() -> Path:
    return Path(current_app.config["MATCHING_INDEX_DIR"])


def encode(rows: Sequence[Mapping[str, Any]]) -> tuple[NDArray[np.float32], NDArray[np.void]]:
    """Vectors and constraint columns for rows shaped like ``_PROFILE_COLUMNS``."""
    vectors = VECTORIZER.transform([ProfileRow.from_mapping(r) for r in rows])
    columns = np.zeros(len(rows), dtype=COLUMN_DTYPE)
    for i, r in enumerate(rows):
        columns[i] = (
            r["user_id"],
            bits(r["languages"] or (), LANGUAGE_BITS),
            bits(r["contact_modes"] or (), CONTACT_BITS),
            ROLE_BITS.get(r["support_role"] or "", 0),
            region_key(r["country"], r["region"]),
            max(0, r["max_active_conversations"] - r.get("active_conversations", 0)),
            pack_priorities(r["priorities"] or {}),
            is_live(r),
        )
    return vectors, columns


def is_live(r: Mapping[str, Any]) -> bool:
    """Can be proposed: an active member, open to matches, with a profile complete enough."""
    complete = all(r[name] for name in ("stage", "her2", "hr", "age_range", "support_role",
                                        "languages", "contact_modes"))
    return bool(complete and r["open_to_matches"] and r["status"] == "active"
                and r["role"] == "member")


def profile_rows(
    user_ids: list[int] | None = None, batch: int = 20_000
) -> Iterator[list[dict[str, Any]]]:
    active = (
        select(Participant.user_id, func.count().label("n"))
        .join(Conversation, Conversation.id == Participant.conversation_id)
        .where(Conversation.ended_at.is_(None))
        .group_by(Participant.user_id)
    )
    if user_ids is not None:
        active = active.where(Participant.user_id.in_(user_ids))
    busy = active.subquery()
    stmt = (
        select(*_PROFILE_COLUMNS, func.coalesce(busy.c.n, 0).label("active_conversations"))
        .join(User, User.id == Profile.user_id)
        .outerjoin(busy, busy.c.user_id == Profile.user_id)
    )
    if user_ids is not None:
        stmt = stmt.where(Profile.user_id.in_(user_ids))
    result = db.session.execute(stmt.order_by(Profile.user_id).execution_options(yield_per=batch))
    for chunk in result.mappings().partitions(batch):
        yield [dict(row) for row in chunk]


def _state() -> MatchIndexState | None:
    return db.session.get(MatchIndexState, STATE_ID, populate_existing=True)


def current_index(build_if_missing: bool = True) -> MatchIndex | None:
    """This process's map of the current index, refreshed against the database."""
    state = _state()
    if state is None or not state.build_id:
        if not build_if_missing:
            return None
        rebuild_index()
        state = _state()
        if state is None:  # pragma: no cover - rebuild_index always writes the row
            return None
    index = _mapped_index(state)
    if index is None and build_if_missing:
        log.warning("matching index files missing; rebuilding")
        rebuild_index()
        return current_index(build_if_missing=False)
    return index


def _mapped_index(state: MatchIndexState) -> MatchIndex | None:
    """The map of the state's build, opened once per process; None when its files are gone."""
    key = str(_directory())
    with _maps_lock:
        mapped = _maps.get(key)
        if mapped is None or mapped.build_id != state.build_id:
            try:
                index = MatchIndex.open(_directory(), state.build_id, state.rows_used)
            except FileNotFoundError:
                return None
            mapped = _maps[key] = _Mapped(state.build_id, index)
        else:
            mapped.index.grow_to(state.rows_used)
    return mapped.index


def rebuild_index() -> int:
    """Build every row again from the database into new files; returns the row count."""
    started = utcnow()
    total = db.session.scalar(select(func.count()).select_from(Profile)) or 0
    capacity = total + max(1024, total // 10)
    index = MatchIndex.empty(VECTORIZER.dimension, capacity)
    used = 0
    for rows in profile_rows():
        vectors, columns = encode(rows)
        index.vectors[used : used + len(rows)] = vectors
        index.columns[used : used + len(rows)] = columns
        used += len(rows)
    build_id = secrets.token_hex(8)
    index.save(_directory(), build_id)
    state = _state()
    if state is None:
        state = MatchIndexState(id=STATE_ID)
        db.session.add(state)
    old_build = state.build_id
    state.version = (state.version or 0) + 1
    state.build_id, state.rows_used, state.capacity = build_id, used, capacity
    state.built_at = started
    db.session.flush()
    _reapply_changes_since(started)
    if old_build:
        MatchIndex.remove(_directory(), old_build)  # processes still mapping it keep their copy
    log.info("matching index rebuilt rows=%s capacity=%s version=%s", used, capacity, state.version)
    return used


def _reapply_changes_since(moment: Any) -> None:
    """Profiles saved while the rebuild was reading go in again."""
    changed = db.session.scalars(select(Profile.user_id).where(Profile.updated_at >= moment)).all()
    for user_id in changed:
        update_member(user_id)


def _claim_row(state: MatchIndexState) -> int | None:
    """The next free row, claimed atomically; None when the files are full."""
    result = db.session.execute(
        update(MatchIndexState)
        .where(MatchIndexState.id == STATE_ID, MatchIndexState.build_id == state.build_id,
               MatchIndexState.rows_used < MatchIndexState.capacity)
        .values(rows_used=MatchIndexState.rows_used + 1)
        .returning(MatchIndexState.rows_used)
    )
    claimed = result.scalar()
    return None if claimed is None else claimed - 1


def refresh_after_commit(*user_ids: int) -> None:
    """Rewrite these members' rows once the change that concerns them has committed, so a
    rolled-back change never reaches the index and other processes see only what stood."""
    from .. import transactions

    def refresh() -> None:
        for user_id in user_ids:
            update_member(user_id)

    transactions.after_commit(refresh)


def update_member(user_id: int) -> None:
    """Write this member's row now, so the change shows on everyone's next request."""
    index = current_index(build_if_missing=False)
    state = _state()
    if index is None or state is None:
        return  # the first build will include them
    rows = next(profile_rows([user_id]), [])
    row = index.row_of(user_id)
    if not rows:  # the profile is gone (account deleted): the row may never be proposed
        if row is not None:
            column = index.columns[row].copy()
            column["live"] = False
            writable = MatchIndex.open(_directory(), state.build_id, row + 1, writable=True)
            writable.write_row(row, np.asarray(index.vectors[row]), column)
            writable.flush()
        return
    vectors, columns = encode(rows)
    if row is None:
        row = _claim_row(state)
        if row is None:  # the files are full: a rebuild makes room (by a worker if any)
            from ..jobs import submit

            submit("rebuild_index")
            return
    writable = MatchIndex.open(_directory(), state.build_id, row + 1, writable=True)
    writable.write_row(row, vectors[0], columns[0])
    writable.flush()
    index.grow_to(max(index.count, row + 1))
    index.remember(user_id, row)
