from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dearjohn.evidence.errors import IntegrityFailure
from dearjohn.evidence.models import Sighting, plate_key
from dearjohn.oversight.audit import record
from dearjohn.vehicles import lookup
from dearjohn.vehicles.models import VehiclesError

from . import images, policy, review, timeline
from .forms import STATE_CHOICES, AssignForm, EvidencePolicyForm, LookupForm, NoteForm, ObservationForm, VehicleCheckForm
from .models import Case, CasesError, EvidencePolicy, Note

REVIEW = "evidence.review_sighting"


# ---------------------------------------------------------------- review queue

def _cursor(sighting):
    return f"{sighting.seen_at.isoformat()}|{sighting.pk}"


def _parse_cursor(text):
    try:
        seen_at, pk = (text or "").rsplit("|", 1)
        return datetime.fromisoformat(seen_at), int(pk)
    except ValueError:
        return None


def _is_fetch(request):
    return request.headers.get("X-Requested-With") == "fetch"


def _item_context(sighting, **extra):
    """What an item shows; every item counts the queue afresh, as the page swaps items without reloading."""
    context = {"sighting": sighting, "reasons": review.RejectReason.CHOICES, "states": STATE_CHOICES[1:],
               "threshold": settings.DEARJOHN["REVIEW_PRESELECT_THRESHOLD"], **extra}
    if sighting is not None:
        read = sighting.plate_read
        context.update({
            "waiting": review.waiting_count(),
            "read": read,
            "candidates": review.candidates(read),
            "same_plate": review.same_plate(sighting),
            "cursor": _cursor(sighting),
            "default_state": (read.state or settings.DEARJOHN.get("DEFAULT_PLATE_STATE", "")).upper(),
            "learnt_sign": read.capture.camera.writing_not_plates().get(read.plate_key) if read.capture.camera else None,
        })
    return context


@permission_required(REVIEW, raise_exception=True)
def review_queue(request):
    sighting = review.claim(review.next_pending(user=request.user), request.user)
    return render(request, "cases/review_queue.html", _item_context(sighting))


@permission_required(REVIEW, raise_exception=True)
def review_next(request):
    """The next item as an HTML fragment, after the cursor the page holds (wrapping to the oldest)."""
    after = _parse_cursor(request.GET.get("after"))
    sighting = review.next_pending(after, user=request.user) if after else review.next_pending(user=request.user)
    if sighting is None and after:
        sighting = review.next_pending(user=request.user)
    review.claim(sighting, request.user)
    return render(request, "cases/review_item.html", _item_context(sighting))


@require_POST
@permission_required(REVIEW, raise_exception=True)
def review_decide(request, pk):
    sighting = get_object_or_404(Sighting.objects.select_related("plate_read__capture__camera", "zone"), pk=pk)
    action = request.POST.get("action")
    try:
        if action in ("confirm", "correct"):
            plate, state = ((request.POST.get("plate"), request.POST.get("state")) if action == "confirm"
                            else (request.POST.get("correction"), request.POST.get("correction_state")))
            case = review.confirm(sighting, request.user, plate, state, request=request)
            sighting.refresh_from_db()
            verb = "Confirmed" if sighting.review_status == Sighting.ReviewStatus.CONFIRMED else "Corrected to"
            done = f"{verb} {sighting.confirmed_plate} ({sighting.confirmed_state}) on case {case.number}."
        elif action == "reject":
            rejected = review.reject(sighting, request.user, request.POST.get("reason"), request=request)
            done = f"Rejected: {review.RejectReason.LABELS[rejected.reject_reason].lower()}." + _camera_learnt(rejected)
        else:
            raise CasesError("Confirm a candidate, type a correction, or reject with a reason.")
    except CasesError as e:
        sighting.refresh_from_db()
        if sighting.review_status == Sighting.ReviewStatus.PENDING:
            if _is_fetch(request):
                return render(request, "cases/review_item.html", _item_context(sighting, error=str(e)), status=400)
            messages.error(request, str(e))
            return redirect("cases:review_queue")
        done = str(e)
    if not _is_fetch(request):
        messages.success(request, done)
        return redirect("cases:review_queue")
    following = (review.next_pending(after=(sighting.seen_at, sighting.pk), user=request.user)
                 or review.next_pending(user=request.user))
    review.claim(following, request.user)
    return render(request, "cases/review_item.html", _item_context(following, done=done))


def _camera_learnt(sighting):
    """Tells the reviewer when this rejection made the camera stop sending the writing to the queue."""
    read = sighting.plate_read
    camera = read.capture.camera
    if sighting.reject_reason != Sighting.NOT_A_PLATE or camera is None:
        return ""
    if (times := camera.writing_not_plates().get(read.plate_key)) != settings.DEARJOHN["INTAKE"]["NOT_A_PLATE_AFTER"]:
        return ""
    return f" Rejected as not a plate {times} times at {camera.name}: its new reads of {read.text} make no sightings."


def _image_response(request, pk, kind, make):
    sighting = get_object_or_404(Sighting.objects.select_related("plate_read__capture"), pk=pk)
    try:
        data = make(sighting.plate_read)
    except IntegrityFailure as e:
        return HttpResponse(str(e), status=409, content_type="text/plain; charset=utf-8")
    except (OSError, ValueError):
        return HttpResponse("The image of this sighting is not in the evidence store.", status=404,
                            content_type="text/plain; charset=utf-8")
    record("evidence.image_viewed", request=request, obj=sighting, kind=kind)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


@permission_required("evidence.view_sighting", raise_exception=True)
def sighting_image(request, pk):
    return _image_response(request, pk, "whole", images.whole_with_box)


@permission_required("evidence.view_sighting", raise_exception=True)
def sighting_crop(request, pk):
    return _image_response(request, pk, "crop", images.plate_crop)


# ---------------------------------------------------------------------- cases

@permission_required("cases.view_case", raise_exception=True)
def case_list(request):
    cases = Case.objects.select_related("assigned_to").annotate(sighting_count=Count("sightings"))
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    if request.GET.get("mine"):
        cases = cases.filter(assigned_to=request.user)
    plate = request.GET.get("plate", "").strip()
    if plate:
        cases = cases.filter(plate_key=plate_key(plate))
    page = Paginator(cases.order_by("-updated_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {"page": page, "statuses": Case.Status.choices, "status": status,
                                                    "plate": plate, "mine": bool(request.GET.get("mine"))})


def _case_page(request, case, status=200, **forms):
    decision = policy.evaluate(case)
    sightings = case.sightings.select_related("plate_read__capture__camera", "zone", "reviewed_by").order_by("-seen_at")
    if case.registration_id:
        # Showing the owner's name and address is a view of a person's record: logged.
        record("case.owner_viewed", request=request, obj=case, purpose="case review", plate=case.plate_key, state=case.state)
    context = {
        "case": case, "decision": decision, "sightings": sightings[:50], "events": timeline.events(case),
        "lookup_form": forms.get("lookup_form") or LookupForm(initial={"case_number": case.number}),
        "check_form": forms.get("check_form") or VehicleCheckForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form") or AssignForm(initial={"assigned_to": case.assigned_to_id}),
        "lettered": case.letters.exists(),
        "lookup_stale": case.registration_id and lookup.is_stale(case),
        "policy": EvidencePolicy.current(),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@permission_required("cases.view_case", raise_exception=True)
def case_detail(request, pk):
    case = get_object_or_404(Case.objects.select_related("registration", "owner_lookup", "assigned_to", "vehicle_checked_by"), pk=pk)
    return _case_page(request, case)


@require_POST
@permission_required("vehicles.look_up_owner", raise_exception=True)
def case_lookup(request, pk):
    case = get_object_or_404(Case, pk=pk)
    form = LookupForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["case_number"].strip() != case.number:
            form.add_error("case_number", f"This lookup is for case {case.number}; the case number must match.")
        else:
            try:
                result, changed = lookup.look_up_for_case(case, request.user, form.cleaned_data["purpose"], request=request)
            except VehiclesError as e:
                form.add_error(None, str(e))
            else:
                found = result.lookup.records_found
                if found == 1:
                    messages.success(request, "Registered owner found." + (" The registration changed: check the vehicle again." if changed else ""))
                elif found == 0:
                    messages.warning(request, "No registration found for this plate and state.")
                else:
                    messages.warning(request, f"{found} registrations found; none was attached. Ask the registry administrator.")
                return redirect("cases:case_detail", pk=case.pk)
    return _case_page(request, case, lookup_form=form)


@require_POST
@permission_required("cases.change_case", raise_exception=True)
def case_vehicle_check(request, pk):
    case = get_object_or_404(Case, pk=pk)
    form = VehicleCheckForm(request.POST)
    if case.registration_id is None:
        form.add_error(None, "Look up the registered owner first: the check compares the registration with the image.")
    if form.is_valid():
        case.vehicle_check = form.cleaned_data["result"]
        case.vehicle_check_reason = form.cleaned_data["reason"].strip()
        case.vehicle_checked_by = request.user
        case.vehicle_checked_at = timezone.now()
        case.registration_fingerprint = lookup.fingerprint(case.registration)
        case.save()
        record("case.vehicle_check", request=request, obj=case, result=case.vehicle_check, reason=case.vehicle_check_reason)
        decision = policy.apply(case)
        if case.possible_misread:
            messages.warning(request, "Recorded a mismatch: no letter can go out. Possible misread or cloned plate.")
        else:
            messages.success(request, f"Vehicle check recorded. {decision.reason}")
        return redirect("cases:case_detail", pk=case.pk)
    return _case_page(request, case, check_form=form)


@require_POST
@permission_required("cases.change_case", raise_exception=True)
def case_note(request, pk):
    case = get_object_or_404(Case, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = Note.objects.create(case=case, author=request.user, text=form.cleaned_data["text"])
        record("case.note", request=request, obj=case, note=note.pk)
        return redirect("cases:case_detail", pk=case.pk)
    return _case_page(request, case, note_form=form)


@require_POST
@permission_required("cases.change_case", raise_exception=True)
def case_assign(request, pk):
    case = get_object_or_404(Case, pk=pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        case.assigned_to = form.cleaned_data["assigned_to"]
        case.save(update_fields=["assigned_to", "updated_at"])
        record("case.assigned", request=request, obj=case, to=case.assigned_to.get_username() if case.assigned_to else "")
        return redirect("cases:case_detail", pk=case.pk)
    return _case_page(request, case, assign_form=form)


# ------------------------------------------------------------ officers, policy

@permission_required("cases.add_observation", raise_exception=True)
def observation_new(request):
    form = ObservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = plate_key(form.cleaned_data["plate"])
        if not 1 <= len(key) <= 8:
            form.add_error("plate", "Type the plate as it appears: 1 to 8 letters and digits.")
        else:
            case = Case.for_vehicle(key, form.cleaned_data["state"], plate=form.cleaned_data["plate"].upper().replace(" ", ""))
            observation = form.save(commit=False)
            observation.case, observation.officer = case, request.user
            observation.save()
            record("case.observation", request=request, obj=case, solicitation=observation.solicitation_observed)
            policy.apply(case)
            messages.success(request, f"Observation recorded on case {case.number}.")
            return redirect("cases:observation_new")
    return render(request, "cases/observation_form.html", {"form": form})


@permission_required("cases.view_evidencepolicy", raise_exception=True)
def policy_page(request):
    versions = EvidencePolicy.objects.select_related("created_by")
    form = None
    if request.user.has_perm("cases.add_evidencepolicy"):
        current = EvidencePolicy.current()
        initial = {f: getattr(current, f) for f in EvidencePolicyForm.Meta.fields if f != "note"} if current else {}
        form = EvidencePolicyForm(initial=initial)
    return render(request, "cases/policy.html", {"versions": versions, "current": versions.first(), "form": form})


@require_POST
@permission_required("cases.add_evidencepolicy", raise_exception=True)
def policy_new(request):
    form = EvidencePolicyForm(request.POST)
    if form.is_valid():
        new = form.save(commit=False)
        new.created_by = request.user
        new.save()
        record("policy.new_version", request=request, obj=new, version=new.version, note=new.note)
        changed = policy.apply_to_all()
        messages.success(request, f"Evidence policy version {new.version} is now in force; {changed} case(s) changed status.")
        return redirect("cases:policy")
    versions = EvidencePolicy.objects.select_related("created_by")
    return render(request, "cases/policy.html", {"versions": versions, "current": versions.first(), "form": form})
