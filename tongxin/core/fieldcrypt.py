"""Personal data at rest: AES-GCM encrypted columns and a keyed hash (HMAC) to find them.

The field key (``TONGXIN_FIELD_KEY``, 32 random bytes in URL-safe base64) gives two keys by
HKDF: one encrypts, the other computes the lookup hash. Every encrypted value names the key
it was encrypted with (a short key id), so that after a key change the rows still under an
older key are recognised and read with ``TONGXIN_FIELD_KEY_PREVIOUS`` until
``manage.py rotate_field_key`` has encrypted them again.

Text values are stored as ``v1:<key id>:<base64 of nonce + ciphertext + tag>``; binary values
as ``TXE1`` + key id + nonce + ciphertext + tag. Blank text stays blank (it is no secret, and
the blank ID numbers that repeat are told apart from the filled ones by it).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute
from django.dispatch import receiver
from django.test.signals import setting_changed

from tongxin.core.idnumber import normalize_id_number

TEXT_PREFIX = "v1:"
BLOB_PREFIX = b"TXE1"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_BYTES = 4
KEY_FILE = "field_key"


@dataclass(frozen=True)
class FieldKey:
    key_id: str  # hex, in every value encrypted with this key
    aead: AESGCM
    hash_key: bytes
    # HMAC-SHA256's two keyed states, computed once: each hash then copies them (a third of
    # the time of hmac.digest, which sets the key up again for every one of an import's rows).
    hash_inner: object
    hash_outer: object

    def hmac_hex(self, message: bytes) -> str:
        inner = self.hash_inner.copy()
        inner.update(message)
        outer = self.hash_outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    @property
    def key_id_bytes(self) -> bytes:
        return bytes.fromhex(self.key_id)


@dataclass(frozen=True)
class Keyring:
    current: FieldKey
    by_id: dict[str, FieldKey]  # the current key and the previous ones

    def key_for(self, key_id: str) -> FieldKey:
        try:
            return self.by_id[key_id]
        except KeyError:
            raise ImproperlyConfigured(
                f"数据库中有用未知密钥（编号 {key_id}）加密的个人信息，无法解密。"
                "请检查环境变量 TONGXIN_FIELD_KEY 是否为加密这些数据时的密钥；"
                "更换密钥期间须把原密钥填入 TONGXIN_FIELD_KEY_PREVIOUS，"
                "再运行 manage.py rotate_field_key。"
            ) from None


def _derive(raw: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)


def _field_key(text: str, variable: str) -> FieldKey:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            f"环境变量 {variable} 的值不是有效的字段密钥：须为 32 个随机字节的 URL 安全 Base64 "
            "编码（44 个字符）。可用以下命令生成："
            'python -c "import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
        )
    hash_key = _derive(raw, b"tongxin field lookup hash")
    block = hash_key.ljust(64, b"\0")  # SHA-256's block size; the key is shorter
    return FieldKey(
        key_id=_derive(raw, b"tongxin field key id")[:KEY_ID_BYTES].hex(),
        aead=AESGCM(_derive(raw, b"tongxin field encryption")),
        hash_key=hash_key,
        hash_inner=hashlib.sha256(bytes(b ^ 0x36 for b in block)),
        hash_outer=hashlib.sha256(bytes(b ^ 0x5C for b in block)),
    )


def new_key_text() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _key_file(var_dir: str) -> str:
    """The trial install's key: generated once into var/, readable by its owner only. Created
    exclusively, so that a web process and the worker starting together agree on one key."""
    path = Path(var_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(new_key_text() + "\n")
    return path.read_text().strip()


@functools.lru_cache(maxsize=8)
def _keyring(current: str, previous: tuple[str, ...], var_dir: str) -> Keyring:
    if current:
        key = _field_key(current, "TONGXIN_FIELD_KEY")
    else:
        source = f"TONGXIN_FIELD_KEY（未设置，读自 {var_dir}/{KEY_FILE}）"
        key = _field_key(_key_file(var_dir), source)
    by_id = {k.key_id: k for k in (_field_key(p, "TONGXIN_FIELD_KEY_PREVIOUS") for p in previous)}
    by_id[key.key_id] = key
    return Keyring(current=key, by_id=by_id)


_current: list[Keyring] = []  # the keyring of the settings as they are; emptied when they change
_SETTINGS = frozenset({"TONGXIN_FIELD_KEY", "TONGXIN_FIELD_KEY_PREVIOUS", "VAR_DIR"})


def keyring() -> Keyring:
    """The keys as the settings give them (read when first asked, and again after a change of
    one of them by override_settings; an import asks for every row, and reading three
    settings cost more than the hash itself)."""
    if _current:
        return _current[0]
    ring = _build_keyring(
        getattr(settings, "TONGXIN_FIELD_KEY", ""),
        getattr(settings, "TONGXIN_FIELD_KEY_PREVIOUS", ()),
        settings.VAR_DIR,
    )
    _current[:] = [ring]
    return ring


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in _SETTINGS:
        _current.clear()


def _build_keyring(current, previous, var_dir) -> Keyring:
    if isinstance(previous, str):
        previous = [p for p in previous.split(",")]
    return _keyring(current or "", tuple(p.strip() for p in previous if p.strip()), str(var_dir))


def clear_cache() -> None:
    _current.clear()
    _keyring.cache_clear()


# --- text --------------------------------------------------------------------------------------


def encrypt(value: str, ring: Keyring | None = None) -> str:
    if not value:
        return ""
    return _seal(value, (ring or keyring()).current, os.urandom(NONCE_BYTES))


def encrypter(ring: Keyring | None = None):
    """``encrypt`` for many values in a row (an import's 100,000 ID numbers): the random
    nonces are drawn a few thousand at a time, one system call instead of one per value."""
    key = (ring or keyring()).current
    pool, at = b"", 0

    def seal(value: str) -> str:
        nonlocal pool, at
        if not value:
            return ""
        if at == len(pool):
            pool, at = os.urandom(NONCE_BYTES * 4096), 0
        at += NONCE_BYTES
        return _seal(value, key, pool[at - NONCE_BYTES : at])

    return seal


_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def _seal(value: str, key: FieldKey, nonce: bytes) -> str:
    sealed = key.aead.encrypt(nonce, value.encode(), None)
    # base64.urlsafe_b64encode, without its two layers of Python calls.
    text = binascii.b2a_base64(nonce + sealed, newline=False).translate(_URL_SAFE)
    return f"{TEXT_PREFIX}{key.key_id}:{text.decode().rstrip('=')}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(TEXT_PREFIX)


def key_id_of(stored: str) -> str:
    return stored[len(TEXT_PREFIX) : len(TEXT_PREFIX) + 2 * KEY_ID_BYTES]


def decrypt(stored: str, ring: Keyring | None = None) -> str:
    if not stored:
        return ""
    if not is_encrypted(stored):
        raise ImproperlyConfigured(
            "数据库中的个人信息未加密或格式不对，无法读取；请先运行 manage.py migrate。"
        )
    key = (ring or keyring()).key_for(key_id_of(stored))
    text = stored[len(TEXT_PREFIX) + 2 * KEY_ID_BYTES + 1 :]
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise _tampered(key.key_id) from None
    try:
        return key.aead.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], None).decode()
    except InvalidTag:
        raise _tampered(key.key_id) from None


def _tampered(key_id: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"数据库中的一项个人信息无法用密钥（编号 {key_id}）解密：数据被改动，或 "
        "TONGXIN_FIELD_KEY 不是加密时的密钥。"
    )


def encrypted_length(max_chars: int) -> int:
    """The longest stored text of a value of ``max_chars`` characters (4 UTF-8 bytes each)."""
    sealed = NONCE_BYTES + 4 * max_chars + TAG_BYTES
    return len(TEXT_PREFIX) + 2 * KEY_ID_BYTES + 1 + 4 * -(-sealed // 3)


# --- bytes -------------------------------------------------------------------------------------


def encrypt_bytes(value: bytes, ring: Keyring | None = None) -> bytes:
    key = (ring or keyring()).current
    nonce = os.urandom(NONCE_BYTES)
    return BLOB_PREFIX + key.key_id_bytes + nonce + key.aead.encrypt(nonce, bytes(value), None)


def decrypt_bytes(stored: bytes, ring: Keyring | None = None) -> bytes:
    stored = bytes(stored)
    if not stored.startswith(BLOB_PREFIX):
        return stored  # written before encryption: migration 0003 of io encrypts it
    start = len(BLOB_PREFIX)
    key = (ring or keyring()).key_for(stored[start : start + KEY_ID_BYTES].hex())
    nonce_at = start + KEY_ID_BYTES
    try:
        return key.aead.decrypt(
            stored[nonce_at : nonce_at + NONCE_BYTES], stored[nonce_at + NONCE_BYTES :], None
        )
    except InvalidTag:
        raise _tampered(key.key_id) from None


# --- lookup hash -------------------------------------------------------------------------------


def id_number_hash(value: str, key: FieldKey | None = None) -> str:
    """The keyed hash of an ID number in its normal form; blank for a blank number."""
    number = normalize_id_number(value) if value else ""
    if not number:
        return ""
    key = key or keyring().current
    return key.hmac_hex(number.encode())  # HMAC-SHA256


def id_number_hashes(values) -> list[str]:
    """The hashes of ``values`` under the current key and, while a key change is under way,
    under the previous keys: rows not yet rotated are still found. Blank values are left out."""
    current, previous = lookup_hashes(values)
    return [h for h in current if h] + previous


def lookup_hashes(values) -> tuple[list[str], list[str]]:
    """The hashes of ``values`` under the current key, one per value in order (blank for a
    blank value), which is what a new row stores; and their hashes under the previous keys,
    which a lookup adds while a key change is under way."""
    ring = keyring()
    current = [id_number_hash(value, ring.current) for value in values]
    previous = [
        id_number_hash(value, key)
        for key in ring.by_id.values()
        if key is not ring.current
        for value in values
        if value
    ]
    return current, previous


# --- model fields ------------------------------------------------------------------------------


class _HashingAttribute(DeferredAttribute):
    """Setting the plain value also sets its lookup hash on the instance, so that every path
    that assigns a value (forms, services, the importer's updates, undo, loading) keeps the
    two in step before ``full_clean`` or ``save``."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
        if isinstance(value, str):
            instance.__dict__[self.field.hash_field] = id_number_hash(value)


class _BlankOnlyExact(Exact):
    """An encrypted column equals only blank: any other value is encrypted anew (random
    nonce) and would match nothing, so such a query is a mistake to report, not to run."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} 是加密字段，不能按值查询；请按其查找哈希查询"
                "（如 Person.objects.with_id_number(...)）。"
            )
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    """A CharField whose column holds only AES-GCM ciphertext; Python sees the plain value.

    ``max_length`` is the plain value's (forms and validation); the column is wide enough
    for its ciphertext. ``hash_field`` names a column that carries the keyed hash of the
    value (ID numbers), kept in step on assignment and by ``tongxin.core.bulk.insert_rows``.
    """

    descriptor_class = _HashingAttribute

    def __init__(self, *args, hash_field: str | None = None, **kwargs):
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        if not self.hash_field:
            # Without a hash the plain DeferredAttribute does: nothing to keep in step.
            setattr(cls, self.attname, DeferredAttribute(self))

    def db_type(self, connection):
        return models.CharField(max_length=self.column_length).db_type(connection)

    def cast_db_type(self, connection):
        return self.db_type(connection)

    @property
    def column_length(self) -> int:
        return encrypted_length(self.max_length)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _BlankOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_db_prep_save(self, value, connection):
        return encrypt(self.to_python(value) or "")

    def bulk_converter(self, connection):
        """For ``insert_rows``: the plain value to its column."""
        return encrypter()

    def bulk_hasher(self):
        """For ``insert_rows``: the plain value to its ``hash_field``."""
        key = keyring().current
        return lambda value: id_number_hash(value, key)

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value


class EncryptedEmailField(EncryptedCharField):
    """An e-mail address stored as ciphertext: validated and entered as EmailField's are."""

    default_validators = [validators.validate_email]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 254)  # EmailField's: RFC 3696/5321
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


class EncryptedBinaryField(models.BinaryField):
    """A BinaryField stored as AES-GCM ciphertext (the uploaded workbooks)."""

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is not None and not prepared:
            value = encrypt_bytes(value)
        return super().get_db_prep_value(value, connection, prepared=True)

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt_bytes(value)


class EncryptedJSONField(models.JSONField):
    """A JSONField whose non-empty values are stored as one encrypted JSON string.

    Empty values (``{}``, ``[]``) stay as they are: the import writes a shared ``{}`` for
    each of its thousands of created records, and there is nothing in it to hide. Not for
    querying into: the database sees only the string.
    """

    def _seal(self, value):
        if not value:
            return value
        return encrypt(json.dumps(value, ensure_ascii=False, cls=self.encoder))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self._seal(value)
        return super().get_db_prep_value(value, connection, prepared=True)

    def bulk_converter(self, connection):
        """For ``insert_rows``: a value to the JSON text of its column, once per object (as
        ``tongxin.core.bulk`` does for JSON; the memo holds each object, so that its id cannot
        be reused by a later one)."""
        by_id: dict[int, tuple[object, str]] = {}

        def convert(value):
            try:
                return by_id[id(value)][1]
            except KeyError:
                found = json.dumps(self._seal(value), ensure_ascii=False, cls=self.encoder)
                by_id[id(value)] = (value, found)
                return found

        return convert

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        if isinstance(value, str) and is_encrypted(value):
            return json.loads(decrypt(value), cls=self.decoder)
        return value


# --- whole columns (migrations and key rotation) ----------------------------------------------

CHUNK = 5000


def rewrite_column(
    connection,
    table: str,
    column: str,
    kind: str,
    *,
    hash_column: str | None = None,
    decrypt_only: bool = False,
    ring: Keyring | None = None,
    pk: str = "id",
) -> tuple[int, int]:
    """Bring every value of ``table.column`` under the current key, a chunk of rows at a time,
    by primary key ``id``: plain values (written before encryption) are encrypted, values under
    a previous key are encrypted again, and ``hash_column`` is computed anew. With
    ``decrypt_only`` the column is written back in plain text (a migration's reverse).

    ``kind`` is "text", "json" or "blob". Returns (rows with a value, rows rewritten). Runs in
    the caller's transaction."""
    ring = ring or keyring()
    quote = connection.ops.quote_name
    json_param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    param = json_param if kind == "json" else "%s"
    sets = f"{quote(column)} = {param}"
    if hash_column:
        sets += f", {quote(hash_column)} = %s"
    table, column, pk = quote(table), quote(column), quote(pk)
    update = f"UPDATE {table} SET {sets} WHERE {pk} = %s"
    select = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT {CHUNK}"
    seen = rewritten = 0
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            updates = []
            for pk, stored in rows:
                new = _rewrite_value(kind, stored, ring, decrypt_only)
                if new is _EMPTY:
                    continue
                seen += 1
                if new is None:
                    continue  # already under the current key
                plain_number, new_value = new
                values = [new_value]
                if hash_column:
                    values.append(id_number_hash(plain_number, ring.current))
                updates.append((*values, pk))
            if updates:
                cursor.executemany(update, updates)
                rewritten += len(updates)
    return seen, rewritten


_EMPTY = object()


def encrypted_columns():
    """(model, field, kind) for every encrypted field of the project's models."""
    from django.apps import apps

    kinds = {
        EncryptedCharField: "text",
        EncryptedEmailField: "text",
        EncryptedJSONField: "json",
        EncryptedBinaryField: "blob",
    }
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            kind = kinds.get(type(field))
            if kind:
                yield model, field, kind


def _rewrite_value(kind: str, stored, ring: Keyring, decrypt_only: bool):
    """(plain text, value to store) for one stored value; None when it needs no change (under
    the current key already, or plain when decrypting); _EMPTY when it holds nothing."""
    if stored is None:
        return _EMPTY
    if kind == "blob":
        stored = bytes(stored)
        if not stored:
            return _EMPTY
        encrypted = stored.startswith(BLOB_PREFIX)
        if not encrypted and decrypt_only:
            return None
        key_id = stored[len(BLOB_PREFIX) : len(BLOB_PREFIX) + KEY_ID_BYTES]
        if encrypted and key_id == ring.current.key_id_bytes and not decrypt_only:
            return None
        plain = decrypt_bytes(stored, ring)
        return "", plain if decrypt_only else encrypt_bytes(plain, ring)
    if kind == "json":
        value = json.loads(stored) if isinstance(stored, str) else stored
        if not value:
            return _EMPTY
        # An encrypted JSON value is one string; a plain one is the structure itself.
        text = value if isinstance(value, str) and is_encrypted(value) else None
        plain = None if text else json.dumps(value, ensure_ascii=False)
    else:
        if not stored:
            return _EMPTY
        text = stored if is_encrypted(stored) else None
        plain = None if text else stored
    if text is None and decrypt_only:
        return None
    if text is not None:
        if key_id_of(text) == ring.current.key_id and not decrypt_only:
            return None
        plain = decrypt(text, ring)
    if decrypt_only:
        return "", plain
    new = encrypt(plain, ring)
    return plain, json.dumps(new) if kind == "json" else new
