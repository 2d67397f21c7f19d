"""ID numbers (and the import's files and records) encrypted at rest, found through a keyed
hash, and brought under a new key by rotate_field_key."""

import hashlib
import hmac
import os
import stat
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from tests.factories import make_member, make_user
from tongxin.core import fieldcrypt
from tongxin.core.idnumber import make_id_number, parse_id_number
from tongxin.io.models import BatchChange, ImportBatch
from tongxin.people.models import Person, id_number_q

KEY_A = fieldcrypt.new_key_text()
KEY_B = fieldcrypt.new_key_text()
NUMBER = make_id_number("110105", date(1949, 12, 31), 2)


@pytest.fixture
def key_a(settings):
    settings.TONGXIN_FIELD_KEY = KEY_A
    settings.TONGXIN_FIELD_KEY_PREVIOUS = []
    return settings


def _member(org, name, number):
    if not number:
        return make_member(org, name=name, id_number="")
    info = parse_id_number(number)
    return make_member(
        org, name=name, id_number=number, gender=info.gender, birth_date=info.birth_date
    )


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _stored_number(person) -> tuple[str, str]:
    ((number, digest),) = _raw(
        "SELECT id_number, id_number_hash FROM people_person WHERE id = %s", [person.pk]
    )
    return number, digest


def test_a_value_reads_back_and_is_never_stored_twice_the_same(key_a):
    first, second = fieldcrypt.encrypt(NUMBER), fieldcrypt.encrypt(NUMBER)
    assert first != second  # a fresh nonce each time
    assert NUMBER not in first
    assert first.startswith("v1:" + fieldcrypt.keyring().current.key_id + ":")
    assert fieldcrypt.decrypt(first) == fieldcrypt.decrypt(second) == NUMBER
    assert fieldcrypt.encrypt("") == "" and fieldcrypt.decrypt("") == ""
    assert len(first) <= fieldcrypt.encrypted_length(18)
    blob = "名册".encode() * 100
    assert fieldcrypt.decrypt_bytes(fieldcrypt.encrypt_bytes(blob)) == blob


def test_values_encrypted_in_a_row_each_have_their_own_nonce_and_read_back(key_a):
    # The nonces are drawn in pools of 4,096: more values than that cross a pool.
    seal = fieldcrypt.encrypter()
    sealed = [seal(NUMBER) for _ in range(5000)] + [seal("")]
    assert sealed[-1] == ""
    assert len({value[12:28] for value in sealed[:-1]}) == 5000  # the nonce, base64
    assert {fieldcrypt.decrypt(value) for value in sealed[:-1]} == {NUMBER}
    assert all(len(value) == len(fieldcrypt.encrypt(NUMBER)) for value in sealed[:-1])


def test_a_changed_value_is_refused_not_misread(key_a):
    stored = fieldcrypt.encrypt(NUMBER)
    tampered = stored[:30] + ("A" if stored[30] != "A" else "B") + stored[31:]
    with pytest.raises(ImproperlyConfigured, match="无法用密钥"):
        fieldcrypt.decrypt(tampered)


@pytest.mark.django_db
def test_the_column_holds_only_ciphertext_and_python_sees_the_number(key_a, world):
    person = _member(world.branch_a, "张敏", NUMBER.lower())
    stored, digest = _stored_number(person)
    assert NUMBER not in stored and NUMBER.lower() not in stored
    assert fieldcrypt.decrypt(stored) == NUMBER
    key = fieldcrypt.keyring().current.hash_key
    assert digest == hmac.new(key, NUMBER.encode(), hashlib.sha256).hexdigest()
    assert Person.objects.get(pk=person.pk).id_number == NUMBER
    assert list(Person.objects.filter(pk=person.pk).values_list("id_number", flat=True)) == [NUMBER]


@pytest.mark.django_db
def test_a_person_is_found_by_id_number_through_the_hash(key_a, world):
    person = _member(world.branch_a, "张敏", NUMBER)
    _member(world.branch_a, "李华", make_id_number("110105", date(1960, 5, 5), 7))
    assert list(Person.objects.with_id_number(NUMBER)) == [person]
    assert list(Person.objects.with_id_number(" " + NUMBER.lower())) == [person]
    assert list(Person.objects.filter(id_number_q([NUMBER, "", "X"]))) == [person]
    assert not Person.objects.with_id_number("")


@pytest.mark.django_db
def test_a_query_on_the_encrypted_column_by_value_is_refused(key_a):
    with pytest.raises(FieldError, match="加密字段"):
        list(Person.objects.filter(id_number=NUMBER))
    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number__startswith="1101"))
    assert not Person.objects.filter(id_number="").exists()


@pytest.mark.django_db
def test_an_id_number_is_registered_once(key_a, world):
    _member(world.branch_a, "张敏", NUMBER)
    with pytest.raises(ValidationError, match="该身份证号已登记"):
        _member(world.branch_b, "张敏", NUMBER.lower())
    twin = Person(name="张敏", id_number=NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    # Blank numbers repeat.
    Person.objects.create(name="甲")
    Person.objects.create(name="乙")


@pytest.mark.django_db
def test_changing_the_number_changes_its_hash(key_a, world):
    person = _member(world.branch_a, "张敏", NUMBER)
    other = make_id_number("110105", date(1950, 1, 1), 3)
    person.id_number = other
    person.save()
    assert list(Person.objects.with_id_number(other)) == [person]
    assert not Person.objects.with_id_number(NUMBER).exists()
    person.id_number = ""
    person.save()
    assert _stored_number(person) == ("", "")


@pytest.mark.django_db
def test_a_value_under_an_unknown_key_says_which_variable_to_set(key_a, world):
    person = _member(world.branch_a, "张敏", NUMBER)
    key_a.TONGXIN_FIELD_KEY = KEY_B
    with pytest.raises(ImproperlyConfigured, match="TONGXIN_FIELD_KEY_PREVIOUS"):
        Person.objects.get(pk=person.pk)


def test_a_malformed_key_is_named(settings):
    settings.TONGXIN_FIELD_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="环境变量 TONGXIN_FIELD_KEY 的值不是有效"):
        fieldcrypt.encrypt(NUMBER)
    settings.TONGXIN_FIELD_KEY = KEY_A
    settings.TONGXIN_FIELD_KEY_PREVIOUS = [KEY_B[:20]]
    with pytest.raises(ImproperlyConfigured, match="TONGXIN_FIELD_KEY_PREVIOUS"):
        fieldcrypt.encrypt(NUMBER)


def test_a_trial_install_generates_its_key_once_readable_by_its_owner_only(settings, tmp_path):
    settings.TONGXIN_FIELD_KEY = ""
    settings.VAR_DIR = tmp_path
    stored = fieldcrypt.encrypt(NUMBER)
    path = tmp_path / "field_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    fieldcrypt.clear_cache()
    assert fieldcrypt.decrypt(stored) == NUMBER  # the same key, read back from the file
    settings.TONGXIN_FIELD_KEY = path.read_text().strip()
    assert fieldcrypt.decrypt(stored) == NUMBER


def _batch(user, **fields) -> ImportBatch:
    return ImportBatch.objects.create(
        created_by=user,
        file_name="名册.csv",
        file_hash="0" * 64,
        content=f"姓名,身份证号\n张敏,{NUMBER}\n".encode(),
        effective_date=date(2025, 1, 1),
        **fields,
    )


@pytest.mark.django_db
def test_an_import_batch_keeps_its_file_errors_and_replaced_values_encrypted(key_a):
    user = make_user("staff")
    error = {"sheet": "成员", "row": 3, "column": "身份证号", "value": NUMBER, "message": "重复"}
    batch = _batch(user, errors=[error])
    change = BatchChange.objects.create(
        batch=batch, model="people.person", object_id=1, action="updated",
        before={"id_number": NUMBER}, after={"updated_at": "2025-01-01"},
    )  # fmt: skip
    ((content, errors, warnings),) = _raw(
        "SELECT content, errors, warnings FROM io_importbatch WHERE id = %s", [batch.pk]
    )
    ((before, after),) = _raw("SELECT before, after FROM io_batchchange WHERE id = %s", [change.pk])
    for stored in (bytes(content), str(errors).encode(), str(before).encode()):
        assert NUMBER.encode() not in stored
    assert str(warnings) in ("[]", b"[]")  # empty stays empty
    assert "2025-01-01" in str(after)  # after holds no personal data: left as it is
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert bytes(batch.content) == f"姓名,身份证号\n张敏,{NUMBER}\n".encode()
    assert batch.errors == [error]
    assert BatchChange.objects.get(pk=change.pk).before == {"id_number": NUMBER}


@pytest.mark.django_db
def test_rotation_brings_every_value_under_the_new_key(key_a, world):
    person = _member(world.branch_a, "张敏", NUMBER)
    blank = _member(world.branch_a, "李华", "")
    batch = _batch(make_user("staff"), errors=[{"value": NUMBER}])
    old_number, old_hash = _stored_number(person)

    key_a.TONGXIN_FIELD_KEY = KEY_B
    key_a.TONGXIN_FIELD_KEY_PREVIOUS = [KEY_A]
    new_id = fieldcrypt.keyring().current.key_id
    # Until the rotation, the old rows are read with the previous key and found by their hash.
    assert Person.objects.get(pk=person.pk).id_number == NUMBER
    assert list(Person.objects.with_id_number(NUMBER)) == [person]

    out = StringIO()
    call_command("rotate_field_key", "--dry-run", stdout=out)
    assert "试运行：共 3 条需要重新加密" in out.getvalue()  # number, file, errors; no blank
    assert _stored_number(person) == (old_number, old_hash)

    out = StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "完成：共重新加密 3 条" in out.getvalue()
    assert "人员·身份证号：1 条有值，已重新加密 1 条" in out.getvalue()
    new_number, new_hash = _stored_number(person)
    assert fieldcrypt.key_id_of(new_number) == new_id and new_hash != old_hash
    assert _stored_number(blank) == ("", "")
    content = bytes(_raw("SELECT content FROM io_importbatch WHERE id = %s", [batch.pk])[0][0])
    assert content[4:8].hex() == new_id

    key_a.TONGXIN_FIELD_KEY_PREVIOUS = []  # the old key is gone: everything still reads
    assert Person.objects.get(pk=person.pk).id_number == NUMBER
    assert list(Person.objects.with_id_number(NUMBER)) == [person]
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.errors == [{"value": NUMBER}] and NUMBER.encode() in bytes(batch.content)
    out = StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "完成：共重新加密 0 条" in out.getvalue()  # a second run has nothing to do
