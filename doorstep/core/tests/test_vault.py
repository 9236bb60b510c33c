import os

import pytest
from django.core.management import call_command

from doorstep.core import vault
from doorstep.core.models import ErasedKey, OrganizationKey, SubjectKey


def _key():
    return os.urandom(32)


def test_it_seals_and_opens(world):
    key = vault.new_subject_key(world.org_a)
    blob = vault.seal(key, {"full_name": "Sunita Devi"}, purpose="member.pii")
    assert b"Sunita" not in bytes(blob)
    assert vault.open_sealed(key, blob, purpose="member.pii") == {"full_name": "Sunita Devi"}


def test_a_changed_byte_does_not_open(world):
    key = vault.new_subject_key(world.org_a)
    blob = bytearray(vault.seal(key, {"a": 1}, purpose="p"))
    blob[-1] ^= 1
    with pytest.raises(vault.VaultError):
        vault.open_sealed(key, bytes(blob), purpose="p")


def test_a_blob_moved_to_another_person_or_purpose_does_not_open(world):
    hers, other = vault.new_subject_key(world.org_a), vault.new_subject_key(world.org_a)
    blob = vault.seal(hers, {"a": 1}, purpose="member.pii")
    with pytest.raises(vault.VaultError):
        vault.open_sealed(other, blob, purpose="member.pii")
    with pytest.raises(vault.VaultError):
        vault.open_sealed(hers, blob, purpose="grievance.narrative")


def test_shredding_makes_it_unreadable(world):
    key = vault.new_subject_key(world.org_a)
    blob = vault.seal(key, {"a": 1}, purpose="p")
    vault.shred(key)
    assert not SubjectKey.objects.filter(pk=key.pk).exists()
    with pytest.raises(vault.VaultError):
        vault.open_sealed(None, blob, purpose="p")


def test_shredding_notes_the_key_in_the_erasure_log(world):
    kept, shredded = vault.new_subject_key(world.org_a), vault.new_subject_key(world.org_b)
    vault.shred_keys([shredded.pk])
    vault.shred_keys([shredded.pk])  # again: nothing more to destroy, nothing more to note
    assert list(ErasedKey.objects.values_list("subject_key_id", "organization_id")) == [
        (shredded.pk, world.org_b.pk)
    ]
    assert SubjectKey.objects.filter(pk=kept.pk).exists()


def test_keys_are_stored_wrapped(world):
    key = vault.new_subject_key(world.org_a)
    org_key = vault._org_key(world.org_a.pk, 1)
    stored = OrganizationKey.objects.get(organization=world.org_a)
    assert org_key not in bytes(stored.wrapped_key)
    assert vault._data_key(key) not in bytes(SubjectKey.objects.get(pk=key.pk).wrapped_key)


def test_blind_indexes_differ_between_organizations(world):
    a = vault.blind_index(world.org_a, "phone", "+919812345678")
    assert a == vault.blind_index(world.org_a, "phone", "+919812345678")
    assert a != vault.blind_index(world.org_b, "phone", "+919812345678")
    assert "9812345678" not in a


def test_master_key_rotation(world, settings, capsys):
    old = settings.MASTER_KEY
    key = vault.new_subject_key(world.org_a)
    blob = vault.seal(key, {"full_name": "Achieng"}, purpose="p")
    digest = vault.blind_index(world.org_a, "phone", "+254712345678")

    new = _key()
    settings.MASTER_KEY, settings.PREVIOUS_MASTER_KEYS = new, [old]
    vault.forget_cached_keys()
    assert vault.keys_needing_rotation() == OrganizationKey.objects.count() > 0
    call_command("keys", "rotate")
    assert "Re-wrapped" in capsys.readouterr().out
    assert vault.keys_needing_rotation() == 0

    settings.PREVIOUS_MASTER_KEYS = []  # the old key is gone for good
    vault.forget_cached_keys()
    assert vault.open_sealed(SubjectKey.objects.get(pk=key.pk), blob, purpose="p") == {"full_name": "Achieng"}
    assert vault.blind_index(world.org_a, "phone", "+254712345678") == digest


def test_without_the_right_master_key_it_says_what_to_do(world, settings):
    key = vault.new_subject_key(world.org_a)
    blob = vault.seal(key, {"a": 1}, purpose="p")
    settings.MASTER_KEY, settings.PREVIOUS_MASTER_KEYS = _key(), []
    vault.forget_cached_keys()
    with pytest.raises(vault.VaultError, match="DOORSTEP_PREVIOUS_MASTER_KEYS"):
        vault.open_sealed(SubjectKey.objects.get(pk=key.pk), blob, purpose="p")


def test_keys_status_command(world, capsys):
    call_command("keys", "status")
    assert "0 organization key(s) wrapped by another key" in capsys.readouterr().out


@pytest.mark.parametrize("size", [0, 10, vault.FILE_CHUNK, 3 * vault.FILE_CHUNK + 5])
def test_a_file_is_sealed_in_chunks_that_cannot_be_dropped_or_reordered(world, size):
    import io

    key = vault.new_subject_key(world.org_a)
    plain = os.urandom(size)
    sealed = io.BytesIO()
    vault.seal_file(key, io.BytesIO(plain), sealed, purpose="test.file")
    blob = sealed.getvalue()
    assert plain[:64] not in blob or size == 0
    assert b"".join(vault.open_file(key, io.BytesIO(blob), purpose="test.file")) == plain
    with pytest.raises(vault.VaultError):
        list(vault.open_file(key, io.BytesIO(blob), purpose="another.purpose"))
    if size > vault.FILE_CHUNK:
        first = 4 + int.from_bytes(blob[:4], "big")
        with pytest.raises(vault.VaultError):  # cut after the first chunk
            list(vault.open_file(key, io.BytesIO(blob[:first]), purpose="test.file"))
        with pytest.raises(vault.VaultError):  # the first chunk dropped
            list(vault.open_file(key, io.BytesIO(blob[first:]), purpose="test.file"))
