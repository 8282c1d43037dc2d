"""Forms of the scheduling workspace. They parse and check input; the services apply the rules."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.localtime import aware, local
from curriculum.fields import CourseChoiceField
from curriculum.models import CoursePage

from .filters import TrainerChoiceField, trainers_queryset
from .models import Delivery, Enrolment, Organisation, Participant, Project, Region, Venue

END_BEFORE_START = _("The session must end after it starts.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TrainersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class DeliveryForm(forms.Form):
    course = CourseChoiceField(queryset=None, label=_("Course"))
    region = forms.ModelChoiceField(queryset=None, label=_("Region"))
    venue = forms.ModelChoiceField(queryset=None, required=False, label=_("Venue"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    capacity = forms.IntegerField(min_value=1, max_value=1000, initial=25, label=_("Capacity"))
    project = forms.ModelChoiceField(queryset=Project.objects.all(), required=False, label=_("Project"))
    trainers = TrainersField(queryset=None, required=False, label=_("Trainers"))
    partner_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(), required=False, label=_("Partner organisations")
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        # Each course once, in the reader's language; any live translation's id is a valid answer.
        self.fields["course"].queryset = CoursePage.objects.live().defer_streamfields()
        self.fields["region"].queryset = regions
        self.fields["venue"].queryset = Venue.objects.filter(region__in=regions.values("pk")).select_related(
            "region"
        )
        self.fields["venue"].label_from_instance = lambda venue: f"{venue.name} ({venue.region.display_name})"
        self.fields["trainers"].queryset = trainers_queryset()

    def clean(self):
        cleaned = super().clean()
        venue, region = cleaned.get("venue"), cleaned.get("region")
        if venue is not None and region is not None and venue.region_id != region.pk:
            self.add_error("venue", _("This venue is not in the chosen region."))
        return cleaned

    @staticmethod
    def initial_for(delivery: Delivery) -> dict:
        from curriculum.selectors import original_course_id

        return {
            # The picker offers one version per course; preselect it whichever translation is stored.
            "course": original_course_id(delivery.course),
            "region": delivery.region_id,
            "venue": delivery.venue_id,
            "language": delivery.language,
            "capacity": delivery.capacity,
            "project": delivery.project_id,
            "trainers": list(delivery.trainers.values_list("pk", flat=True)),
            "partner_organisations": list(delivery.partner_organisations.values_list("pk", flat=True)),
        }


class SessionForm(forms.Form):
    """A session's date and times as the region's clock shows them."""

    title = forms.CharField(max_length=200, required=False, label=_("Title"))
    date = forms.DateField(widget=DateInput(), label=_("Date"))
    starts = forms.TimeField(widget=TimeInput(), label=_("Starts at"))
    ends = forms.TimeField(widget=TimeInput(), label=_("Ends at"))
    venue = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Venue"),
        help_text=_("Leave empty to use the delivery's venue."),
    )
    modules = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Modules covered")
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Reason for overriding a conflict"),
        help_text=_("Programme staff only: schedule despite a double booking, and say why."),
    )

    def __init__(self, *args, delivery: Delivery, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery = delivery
        from curriculum.models import ModulePage

        self.fields["venue"].queryset = Venue.objects.filter(region=delivery.region_id)
        self.fields["modules"].queryset = ModulePage.objects.child_of(delivery.course).order_by("path")
        if not self.fields["modules"].queryset.exists():
            del self.fields["modules"]
        if not can_override:
            del self.fields["override_reason"]

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("date"), cleaned.get("starts"), cleaned.get("ends")
        if day and not 2000 <= day.year <= 2100:
            self.add_error("date", _("Choose a date between 2000 and 2100."))
        elif day and starts and ends:
            if ends <= starts:
                self.add_error("ends", END_BEFORE_START)
            else:
                cleaned["starts_at"] = aware(day, starts, self.delivery.region)
                cleaned["ends_at"] = aware(day, ends, self.delivery.region)
        return cleaned

    @staticmethod
    def initial_for(session) -> dict:
        starts = local(session.starts_at, session.delivery.region)
        ends = local(session.ends_at, session.delivery.region)
        return {
            "title": session.title,
            "date": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "venue": session.venue_id,
            "modules": list(session.modules.values_list("pk", flat=True)),
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Delivery.Status.choices, label=_("New status"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Reason for cancelling"),
        help_text=_("Required when cancelling."),
    )


class ParticipantSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Name, phone or organisation"))


class EnrolManyForm(forms.Form):
    participants = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label=_("Participants")
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participants


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "full_name",
            "latin_name",
            "sex",
            "year_of_birth",
            "audience",
            "organisation",
            "position",
            "region",
            "phone",
            "consent_date",
        ]
        widgets = {"consent_date": DateInput()}

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["organisation"].queryset = Organisation.objects.select_related("country")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: full_name, latin_name, sex, year_of_birth, audience, organisation, position, region, phone."
        ),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if uploaded.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return uploaded


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    duplicate = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = participants
        self.fields["duplicate"].queryset = participants


class CalendarFilterForm(forms.Form):
    month = forms.RegexField(
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        label=_("Month"),
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(), to_field_name="iso_code", required=False, label=_("Region")
    )
    trainer = TrainerChoiceField(queryset=None, required=False, label=_("Trainer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers_queryset()

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and not 2000 <= int(month[:4]) <= 2100:
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return month


ENROLMENT_STATUS_LABELS = dict(Enrolment.Status.choices)
