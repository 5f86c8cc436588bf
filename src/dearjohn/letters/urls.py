from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.letter_list, name="letter_list"),
    path("draft", views.draft_qualifying, name="draft_qualifying"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/print", views.print_batch, name="print_batch"),
    path("batches/<slug:name>/pdf", views.batch_pdf, name="batch_pdf"),
    path("batches/<slug:name>/csv", views.batch_manifest, name="batch_manifest"),
    path("batches/<slug:name>/mailed", views.batch_mailed, name="batch_mailed"),
    path("mail-log/", views.mail_log, name="mail_log"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:kind>/<str:language>/", views.template_edit, name="template_edit"),
    path("templates/<str:kind>/<str:language>/preview", views.template_preview, name="template_preview"),
    path("responses/", views.response_list, name="response_list"),
    path("suppressions/", views.suppression_list, name="suppression_list"),
    path("<str:reference>/", views.letter_detail, name="letter_detail"),
    path("<str:reference>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("<str:reference>/letter.png", views.letter_png, name="letter_png"),
    path("<str:reference>/approve", views.approve, name="approve"),
    path("<str:reference>/cancel", views.cancel, name="cancel"),
    path("<str:reference>/address", views.fix_address, name="fix_address"),
    path("<str:reference>/language", views.set_language, name="set_language"),
    path("<str:reference>/responses", views.response_decide, name="response_decide"),
]
