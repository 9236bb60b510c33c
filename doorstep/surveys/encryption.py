"""ODK's encrypted submissions, as ODK Collect and Enketo make them for a form whose settings sheet
has a ``public_key``.

The phone sends a manifest instead of the answers (root element with ``encrypted="yes"``): the
instance id, a random 256-bit AES key encrypted with the form's RSA public key
(``base64EncryptedKey``; RSA-OAEP, SHA-256 digest, MGF1 with SHA-1), the names of the encrypted
files (``media/file``, then ``encryptedXmlFile``) and a signature (``base64EncryptedElementSignature``:
the RSA-encrypted MD5 of the form id, version, encrypted key, instance id and each file's
``name::md5``, one per line). Each file is AES-256-CFB with PKCS#5 padding; its IV starts as the MD5 of
the instance id and the AES key, and one of its bytes is incremented for each file in turn.

Doorstep never holds the private key: it keeps what it received (sealed, like any submission) and
``decrypt`` (run by ``python -m doorstep decrypt_submissions`` with the key) turns it into a normal
submission once the organization chooses to.
"""

import base64
import hashlib
import os
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.asymmetric import padding as asymmetric
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.serialization import load_pem_private_key

try:  # cryptography 47+ keeps CFB among the "decrepit" modes (ODK's format needs it)
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB

OAEP = asymmetric.OAEP(mgf=asymmetric.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA256(), label=None)  # noqa: S303 - ODK's format


class DecryptionError(Exception):
    """The submission cannot be decrypted with this key (or was changed since it was made)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def is_encrypted(root) -> bool:
    return (root.get("encrypted") or "").lower() == "yes"


@dataclass
class Manifest:
    form_id: str
    version: str
    instance_id: str
    encrypted_key: str
    signature: str
    media: list[str] = field(default_factory=list)
    xml_file: str = ""

    @property
    def files(self) -> list[str]:
        """Every encrypted file, in the order their IVs were made (media first, the XML last)."""
        return [*self.media, self.xml_file] if self.xml_file else list(self.media)


def manifest(root) -> Manifest:
    found = Manifest(root.get("id") or "", root.get("version") or "", "", "", "")
    for element in root.iter():
        name, text = _local(element.tag), (element.text or "").strip()
        if name == "base64EncryptedKey":
            found.encrypted_key = text
        elif name == "base64EncryptedElementSignature":
            found.signature = text
        elif name == "instanceID" and not found.instance_id:
            found.instance_id = text
        elif name == "file" and text:
            found.media.append(text)
        elif name == "encryptedXmlFile":
            found.xml_file = text
    return found


def load_private_key(pem: bytes, password: bytes | None = None) -> RSAPrivateKey:
    try:
        key = load_pem_private_key(pem, password=password)
    except (ValueError, TypeError) as error:
        raise DecryptionError(f"this is not a usable PEM private key ({error})") from None
    if not isinstance(key, RSAPrivateKey):
        raise DecryptionError("ODK's encryption needs an RSA private key")
    return key


def _ivs(instance_id: str, key: bytes, count: int) -> list[bytes]:
    seed = bytearray(hashlib.md5(instance_id.encode() + key, usedforsecurity=False).digest())
    ivs = []
    for counter in range(count):
        seed[counter % len(seed)] = (seed[counter % len(seed)] + 1) % 256
        ivs.append(bytes(seed))
    return ivs


def decrypt(
    found: Manifest, files: dict[str, bytes], private_key: RSAPrivateKey
) -> tuple[bytes, dict[str, bytes]]:
    """(the submission's XML, {media name without .enc: bytes}); ``DecryptionError`` when a file is
    missing, the key is not the form's, or the signature does not match what was decrypted."""
    missing = [name for name in found.files if name not in files]
    if not found.xml_file or missing:
        raise DecryptionError(f"files not received yet: {', '.join(missing) or 'the encrypted XML'}")
    try:
        key = private_key.decrypt(base64.b64decode(found.encrypted_key), OAEP)
    except ValueError:
        raise DecryptionError(
            "the key does not open this submission (is it this form's private key?)"
        ) from None
    plain: dict[str, bytes] = {}
    for name, iv in zip(found.files, _ivs(found.instance_id, key, len(found.files)), strict=True):
        decryptor = Cipher(algorithms.AES(key), CFB(iv)).decryptor()
        unpadder = padding.PKCS7(128).unpadder()
        try:
            plain[name] = (
                unpadder.update(decryptor.update(files[name]) + decryptor.finalize()) + unpadder.finalize()
            )
        except ValueError:
            raise DecryptionError(f"{name} does not decrypt (damaged, or not from this submission)") from None
    lines = [
        found.form_id,
        *([found.version] if found.version else []),
        found.encrypted_key,
        found.instance_id,
    ]
    lines += [
        f"{name[:-4]}::{hashlib.md5(plain[name], usedforsecurity=False).hexdigest()}" for name in found.files
    ]
    expected = hashlib.md5(("\n".join(lines) + "\n").encode(), usedforsecurity=False).digest()
    try:
        signed = private_key.decrypt(base64.b64decode(found.signature), OAEP)
    except ValueError:
        signed = b""
    if signed != expected:
        raise DecryptionError("the signature does not match: the submission was changed after it was made")
    media = {name.removesuffix(".enc"): plain[name] for name in found.media}
    return plain[found.xml_file], media


def encrypt(
    xml: bytes, media: dict[str, bytes], *, form_id: str, version: str, instance_id: str, public_key
) -> tuple[bytes, dict[str, bytes]]:
    """What ODK Collect sends for ``xml`` and its media (the manifest and the .enc files): used by
    the tests and the demo to make encrypted submissions exactly as a phone does."""
    key = os.urandom(32)
    encrypted_key = base64.b64encode(public_key.encrypt(key, OAEP)).decode()
    names = [f"{name}.enc" for name in media] + ["submission.xml.enc"]
    contents = [*media.values(), xml]
    out: dict[str, bytes] = {}
    for name, content, iv in zip(names, contents, _ivs(instance_id, key, len(names)), strict=True):
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.AES(key), CFB(iv)).encryptor()
        out[name] = encryptor.update(padder.update(content) + padder.finalize()) + encryptor.finalize()
    lines = [form_id, *([version] if version else []), encrypted_key, instance_id]
    lines += [
        f"{n[:-4]}::{hashlib.md5(c, usedforsecurity=False).hexdigest()}"
        for n, c in zip(names, contents, strict=True)
    ]
    digest = hashlib.md5(("\n".join(lines) + "\n").encode(), usedforsecurity=False).digest()
    signature = base64.b64encode(public_key.encrypt(digest, OAEP)).decode()
    media_xml = "".join(f"<media><file>{escape(n)}</file></media>" for n in names[:-1])
    version_attr = f' version="{escape(version)}"' if version else ""
    manifest_xml = (
        '<data xmlns="http://opendatakit.org/submissions" encrypted="yes" '
        f'id="{escape(form_id)}"{version_attr}>'
        f"<base64EncryptedKey>{encrypted_key}</base64EncryptedKey>"
        '<orx:meta xmlns:orx="http://openrosa.org/xforms">'
        f"<orx:instanceID>{escape(instance_id)}</orx:instanceID></orx:meta>"
        f"{media_xml}<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        f"<base64EncryptedElementSignature>{signature}</base64EncryptedElementSignature></data>"
    )
    return manifest_xml.encode(), out
