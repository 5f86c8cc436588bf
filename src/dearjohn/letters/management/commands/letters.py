from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dearjohn.letters import drafting, printing
from dearjohn.letters.errors import LetterError


class Command(BaseCommand):
    help = "Letters: draft notices for qualifying cases, or print approved letters into a batch."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        draft = sub.add_parser("draft", help="Draft a notice for every qualifying case.")
        draft.add_argument("--user", help="Record this user as the drafter.")
        print_ = sub.add_parser("print", help="Print every approved letter into one PDF (mailing order) and a CSV manifest.")
        print_.add_argument("--batch", required=True, help="Batch name (letters, digits, dashes); a name is used once.")
        print_.add_argument("--out", required=True, help="Where to write the PDF; the manifest goes beside it as .csv.")
        print_.add_argument("--user", help="Who prints; needed when an owner lookup must be repeated first.")
        samples = sub.add_parser("samples", help="Write each current template, filled in for a fictitious owner, as PDF.")
        samples.add_argument("--out", required=True, help="Folder for letter-KIND-LANGUAGE.pdf files.")

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        return user

    def _samples(self, folder):
        from pathlib import Path

        from dearjohn.letters import render
        from dearjohn.letters.models import LetterTemplate

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for template in LetterTemplate.objects.order_by("kind", "language", "-version"):
            if template != LetterTemplate.current(template.kind, template.language):
                continue
            path = folder / f"letter-{template.kind}-{template.language}.pdf"
            path.write_bytes(render.render_pdf([(template.html, render.sample(template.kind, template.language, with_photo=True))]))
            self.stdout.write(f"{path}  ({template})")

    def handle(self, action, user=None, **options):
        user = self._user(user)
        try:
            if action == "samples":
                return self._samples(options["out"])
            if action == "draft":
                drafted, skipped = drafting.draft_qualifying(user=user)
                for case, why in skipped:
                    self.stdout.write(f"no letter for {case.number}: {why}")
                self.stdout.write(f"Drafted {len(drafted)} letters.")
                return
            result = printing.print_batch(options["batch"], user=user)
        except LetterError as e:
            raise CommandError(str(e)) from None
        for reference, why in result.skipped:
            self.stdout.write(f"not printed {reference}: {why}")
        if result.batch is None:
            raise CommandError("No approved letters to print; nothing was written.")
        out = options["out"]
        Path(out).write_bytes(printing.read_batch_file(result.batch.pdf_path))
        manifest = out[:-4] + ".csv" if out.lower().endswith(".pdf") else out + ".csv"
        Path(manifest).write_bytes(printing.read_batch_file(result.batch.manifest_path))
        self.stdout.write(f"Printed {result.batch.letter_count} letters in batch {result.batch.name}: {out} and {manifest}")
