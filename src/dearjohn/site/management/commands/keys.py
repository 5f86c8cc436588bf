from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from cryptography.fernet import Fernet

from dearjohn.letters import printing
from dearjohn.site import crypto


class Command(BaseCommand):
    help = "Owner-data encryption keys: `keys rotate` adds a new key and re-encrypts every encrypted value with it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="add a new key (key file) and re-encrypt row by row in small batches")
        rotate.add_argument("--reencrypt-only", action="store_true",
                            help="keep the keys as they are and re-encrypt with the first one (when keys come from DEARJOHN_ENCRYPTION_KEYS)")
        sub.add_parser("new", help="print a fresh key, for DEARJOHN_ENCRYPTION_KEYS")
        sub.add_parser("check", help="decrypt every encrypted value and print batch file, and count them")

    def handle(self, action, **options):
        if action == "new":
            self.stdout.write(Fernet.generate_key().decode())
        elif action == "check":
            self.stdout.write(f"{self.walk(rewrite=False)} encrypted values read with the configured keys.")
            read, plain = printing.reencrypt_batch_files(rewrite=False)
            self.stdout.write(f"{read} encrypted print batch files read.")
            if plain:
                self.stdout.write(f"{plain} print batch files are stored in plain text (written before batch files were "
                                  "encrypted); `dearjohn keys rotate --reencrypt-only` encrypts them.")
        else:
            self.rotate(options["reencrypt_only"])

    def rotate(self, reencrypt_only):
        conf = settings.DEARJOHN["ENCRYPTION"]
        if not reencrypt_only:
            if conf["KEYS"]:
                raise CommandError("keys come from DEARJOHN_ENCRYPTION_KEYS: put a new key (`dearjohn keys new`) first in it on "
                                   "every server, restart them, then run `dearjohn keys rotate --reencrypt-only`.")
            keys = crypto.keyring.keys()
            crypto.write_key_file(conf["KEY_FILE"], [Fernet.generate_key().decode(), *keys])
            crypto.keyring.fernet(force=True)
            self.stdout.write(f"New key added to {conf['KEY_FILE']} ({len(keys)} older key(s) kept for reading).")
        count = self.walk(rewrite=True)
        self.stdout.write(f"Re-encrypted {count} values with the newest key.")
        read, plain = printing.reencrypt_batch_files(rewrite=True)
        self.stdout.write(f"Re-encrypted {read} print batch files with the newest key"
                          + (f", and encrypted {plain} stored in plain text." if plain else "."))

    def walk(self, rewrite):
        """Every encrypted value, batch by batch in primary-key order; each batch is its own short transaction."""
        batch = settings.DEARJOHN["ENCRYPTION"]["ROTATE_BATCH"]
        total = 0
        for model in apps.get_models():
            fields = crypto.encrypted_fields(model)
            if not fields:
                continue
            names = [f.name for f in fields]
            last = None
            while True:
                with transaction.atomic():
                    rows = model._base_manager.order_by("pk")
                    if last is not None:
                        rows = rows.filter(pk__gt=last)
                    rows = list(rows.only("pk", *names)[:batch])  # reading decrypts every value
                    if not rows:
                        break
                    if rewrite:
                        model._base_manager.bulk_update(rows, names)  # writing encrypts with the newest key
                last = rows[-1].pk
                total += sum(1 for r in rows for n in names if getattr(r, n))
        return total
