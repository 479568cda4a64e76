"""Large playbooks: PDF and Word prepared by the worker, with progress and a stored download."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from changeready.handoff import documents, services, views
from changeready.handoff.models import PlaybookDocument
from changeready.handoff.tasks import produce_playbook_document
from changeready.handoff.tests.test_log_confidentiality import readable

pytestmark = pytest.mark.django_db

Status = PlaybookDocument.Status
WRITERS = ["owner", "admin", "member"]
WORD_MAGIC = b"PK"  # a .docx is a zip archive


@pytest.fixture
def large(northwind, monkeypatch):
    """Northwind, counted as large: one stakeholder over the line."""
    monkeypatch.setattr(
        documents, "LARGE_PLAYBOOK_STAKEHOLDERS", northwind.stakeholders.count() - 1
    )
    return northwind


@pytest.fixture
def link(northwind, owner):
    return services.create_share_link(northwind, created_by=owner, days=30)


def documents_path(engagement):
    return reverse("handoff_documents", args=[engagement.id])


def handoff_path(engagement):
    return reverse("handoff", args=[engagement.id])


def test_large_means_over_either_line(northwind, monkeypatch):
    stakeholders = northwind.stakeholders.count()
    items = northwind.plan_items.count()
    monkeypatch.setattr(documents, "LARGE_PLAYBOOK_STAKEHOLDERS", stakeholders)
    monkeypatch.setattr(documents, "LARGE_PLAYBOOK_PLAN_ITEMS", items)
    assert not documents.is_large(northwind)
    monkeypatch.setattr(documents, "LARGE_PLAYBOOK_PLAN_ITEMS", items - 1)
    assert documents.is_large(northwind)
    monkeypatch.setattr(documents, "LARGE_PLAYBOOK_PLAN_ITEMS", items)
    monkeypatch.setattr(documents, "LARGE_PLAYBOOK_STAKEHOLDERS", stakeholders - 1)
    assert documents.is_large(northwind)


def test_a_small_playbook_still_downloads_inline(client_as, northwind):
    page = client_as("member").get(handoff_path(northwind)).content.decode()
    assert "playbook.pdf" in page and 'id="documents"' not in page
    response = client_as("member").get(reverse("handoff_download", args=[northwind.id, "docx"]))
    assert response.status_code == 200 and response.content.startswith(WORD_MAGIC)
    assert not PlaybookDocument.objects.exists()


def test_a_large_playbook_is_prepared_then_downloaded(
    client_as, large, django_capture_on_commit_callbacks
):
    client = client_as("member")
    page = client.get(handoff_path(large)).content.decode()
    assert "playbook.pdf" not in page and "Prepare PDF" in page and "Prepare Word" in page
    # The old address does not render it: it sends the reader to the panel.
    response = client.get(reverse("handoff_download", args=[large.id, "pdf"]))
    assert response.status_code == 302 and response.url.endswith("/handoff/#documents")
    assert not PlaybookDocument.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(documents_path(large), {"fmt": "pdf"})
    assert response.status_code == 302
    document = PlaybookDocument.objects.get()
    assert (document.status, document.progress, document.fmt) == (Status.READY, 100, "pdf")
    assert bytes(document.content).startswith(b"%PDF")
    assert document.expires_at > timezone.now() + timedelta(days=documents.DOCUMENT_DAYS - 1)

    page = client.get(handoff_path(large)).content.decode()
    download = reverse("handoff_document_download", args=[large.id, document.id])
    assert download in page and "hx-trigger" not in page
    for path in (download, reverse("handoff_download", args=[large.id, "pdf"])):
        response = client.get(path)
        assert response.status_code == 200
        assert response.content == bytes(document.content)
        assert response["Content-Disposition"] == (
            'attachment; filename="northwind-logistics-warehouse-management-rollout-playbook.pdf"'
        )


def test_asking_again_queues_nothing_while_one_is_pending_or_current(
    client_as, large, django_capture_on_commit_callbacks
):
    client = client_as("member")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(documents_path(large), {"fmt": "docx"})
        client.post(documents_path(large), {"fmt": "docx"})
    assert PlaybookDocument.objects.count() == 1
    PlaybookDocument.objects.update(as_of=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(documents_path(large), {"fmt": "docx"})
    assert PlaybookDocument.objects.filter(status=Status.READY).count() == 2


def test_the_database_backend_leaves_the_rendering_to_the_worker(
    client_as, large, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        client_as("member").post(documents_path(large), {"fmt": "pdf"})
    document = PlaybookDocument.objects.get()
    assert (document.status, bytes(document.content)) == (Status.QUEUED, b"")
    assert DBTaskResult.objects.filter(args_kwargs__args=[str(document.id)]).exists()


def test_a_pending_document_shows_its_progress_and_is_polled(client_as, large):
    PlaybookDocument.objects.create(
        engagement=large,
        fmt="pdf",
        status=Status.RUNNING,
        progress=20,
        as_of=timezone.localdate(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    client = client_as("viewer")
    page = client.get(handoff_path(large)).content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert '<progress value="20" max="100"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    panel = client.get(documents_path(large), headers={"HX-Request": "true"})
    assert panel.status_code == 200
    assert panel.content.decode().lstrip().startswith('<div id="documents"')


def test_an_htmx_request_gets_the_panel_back(client_as, large, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member").post(
            documents_path(large), {"fmt": "docx"}, headers={"HX-Request": "true"}
        )
    # The worker runs once the request commits: the panel shows it on its way.
    assert response.status_code == 200
    panel = response.content.decode()
    assert 'aria-label="Word, internal being prepared"' in panel
    assert 'hx-trigger="every 3s"' in panel


def test_a_failed_rendering_is_marked_and_can_be_asked_for_again(large, monkeypatch):
    document = documents.request_document(large, "docx")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr("changeready.handoff.tasks.render_export", broken)
    with pytest.raises(RuntimeError):
        produce_playbook_document.call(str(document.id))
    document.refresh_from_db()
    assert (document.status, document.progress) == (Status.FAILED, 0)
    assert documents.request_document(large, "docx") != document


def test_only_a_queued_document_is_rendered(large):
    document = documents.request_document(large, "docx")
    PlaybookDocument.objects.filter(id=document.id).update(status=Status.FAILED)
    assert produce_playbook_document.call(str(document.id)) is False


def test_only_pdf_and_word_are_stored(client_as, large):
    with pytest.raises(documents.NotAStoredFormat):
        documents.request_document(large, "md")
    client_as("member").post(documents_path(large), {"fmt": "md"})
    assert not PlaybookDocument.objects.exists()


@pytest.mark.parametrize("person", WRITERS)
def test_every_member_may_ask_for_a_document(
    client_as, large, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(person).post(documents_path(large), {"fmt": "docx"})
    assert response.status_code == 302
    assert PlaybookDocument.objects.get().status == Status.READY


def test_a_viewer_downloads_a_prepared_document_but_may_not_queue_one(client_as, large):
    document = documents.request_document(large, "docx")
    produce_playbook_document.call(str(document.id))
    document.refresh_from_db()
    client = client_as("viewer")
    page = client.get(handoff_path(large)).content.decode()
    assert "Download Word" in page and "Prepare PDF" not in page
    assert "a member of the workspace can prepare it" in page
    download = reverse("handoff_document_download", args=[large.id, document.id])
    assert client.get(download).content == bytes(document.content)
    assert client.post(documents_path(large), {"fmt": "pdf"}).status_code == 403
    assert list(PlaybookDocument.objects.values_list("id", flat=True)) == [document.id]


@pytest.mark.parametrize("person,status", [("outsider", 404), ("anonymous", 302)])
def test_nobody_else_may_ask_for_or_fetch_a_document(client_as, large, person, status):
    document = documents.request_document(large, "docx")
    produce_playbook_document.call(str(document.id))
    before = list(PlaybookDocument.objects.values_list("id", "status"))
    client = client_as(person)
    response = client.post(documents_path(large), {"fmt": "pdf"})
    assert response.status_code == status
    for path in (
        documents_path(large),
        reverse("handoff_document_download", args=[large.id, document.id]),
    ):
        response = client.get(path)
        assert response.status_code == status
        assert WORD_MAGIC not in response.content[:2]
    assert list(PlaybookDocument.objects.values_list("id", "status")) == before


def test_get_never_queues(client_as, large):
    client = client_as("owner")
    client.get(documents_path(large))
    client.get(handoff_path(large))
    client.get(reverse("handoff_download", args=[large.id, "docx"]))
    assert not PlaybookDocument.objects.exists()


def test_an_expired_document_is_not_served(client_as, large):
    document = documents.request_document(large, "docx")
    produce_playbook_document.call(str(document.id))
    PlaybookDocument.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    download = reverse("handoff_document_download", args=[large.id, document.id])
    assert client_as("member").get(download).status_code == 404


# --- the share link -------------------------------------------------------------------


def share_path(link):
    return reverse("share", args=[services.share_token(link)])


def test_a_share_link_never_renders_a_pdf_on_request(
    client, link, northwind, monkeypatch, django_capture_on_commit_callbacks
):
    token = services.share_token(link)
    download = reverse("share_download", args=[token, "pdf"])
    response = client.get(download)
    # The same token: a new one is signed with the time, which may have moved on.
    share_page = reverse("share", args=[token])
    assert response.status_code == 302 and response.url == share_page + "#documents"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert not PlaybookDocument.objects.exists()
    assert "Prepare PDF" in client.get(share_page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("share_documents", args=[token]), {"fmt": "pdf"})
    assert response.status_code == 302
    document = PlaybookDocument.objects.get()
    assert document.status == Status.READY and document.requested_by is None

    def no_rendering(*args, **kwargs):
        raise AssertionError("a share link rendered a document")

    monkeypatch.setattr(views, "render_export", no_rendering)
    response = client.get(download)
    assert response.status_code == 200 and response.content == bytes(document.content)
    assert "Download PDF" in client.get(share_page).content.decode()


def test_a_share_page_with_a_document_on_its_way_says_so_and_reloads(client, link, northwind):
    documents.request_document(northwind, "pdf")
    page = client.get(share_path(link)).content.decode()
    assert "being prepared, 0 %" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_a_revoked_link_queues_nothing(client, link):
    token = services.share_token(link)
    services.revoke_share_link(link)
    response = client.post(reverse("share_documents", args=[token]), {"fmt": "pdf"})
    assert response.status_code == 404
    assert not PlaybookDocument.objects.exists()


# --- the customer-facing version -------------------------------------------------------


RESISTOR = "Tom Avery"  # resists in Northwind; the customer version names no one who resists


def no_rendering(*args, **kwargs):
    raise AssertionError("a document was rendered on request")


def test_the_customer_version_is_prepared_and_kept_apart_from_the_internal_one(
    client_as, large, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_as("member")
    page = client.get(handoff_path(large)).content.decode()
    for label in (
        "PDF, internal",
        "Word, internal",
        "PDF, customer-facing",
        "Word, customer-facing",
    ):
        assert f"Prepare {label}" in page, label
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(documents_path(large), {"fmt": "pdf", "version": "customer"})
    assert response.status_code == 302
    document = PlaybookDocument.objects.get()
    assert (document.version, document.status) == ("customer", Status.READY)
    assert document.filename.endswith("-customer.pdf")
    text = readable(bytes(document.content))
    assert "Customer version" in text and RESISTOR not in text

    monkeypatch.setattr(views, "render_export", no_rendering)
    download = reverse("handoff_download", args=[large.id, "pdf"])
    customer = client.get(download, {"version": "customer"})
    assert customer.status_code == 200 and customer.content == bytes(document.content)
    # The internal file is another document, not prepared yet.
    internal = client.get(download)
    assert internal.status_code == 302 and internal.url.endswith("#documents")
    page = client.get(handoff_path(large)).content.decode()
    assert "Download PDF, customer-facing" in page and "Prepare PDF, internal" in page


def test_each_version_is_asked_for_once(large):
    internal = documents.request_document(large, "pdf")
    customer = documents.request_document(large, "pdf", version="customer")
    assert internal.id != customer.id
    assert documents.request_document(large, "pdf", version="customer").id == customer.id
    assert PlaybookDocument.objects.count() == 2


def test_a_version_no_reader_has_is_refused(client_as, large):
    with pytest.raises(documents.NotAStoredFormat, match="version"):
        documents.request_document(large, "pdf", version="board")
    response = client_as("member").post(documents_path(large), {"fmt": "pdf", "version": "board"})
    assert response.status_code == 302
    assert not PlaybookDocument.objects.exists()


@pytest.fixture
def customer_link(northwind, owner):
    return services.create_share_link(northwind, created_by=owner, days=30, version="customer")


def test_a_customer_share_link_serves_only_the_customer_document_and_never_renders(
    client, customer_link, northwind, monkeypatch, django_capture_on_commit_callbacks
):
    token = services.share_token(customer_link)
    with django_capture_on_commit_callbacks(execute=True):
        documents.request_document(northwind, "pdf")  # the internal one, ready
    monkeypatch.setattr(views, "render_export", no_rendering)
    download = reverse("share_download", args=[token, "pdf"])
    # The internal file is never what a customer link serves.
    response = client.get(download)
    assert response.status_code == 302 and response.url.endswith("#documents")
    assert "Prepare PDF" in client.get(reverse("share", args=[token])).content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("share_documents", args=[token]), {"fmt": "pdf"})
    customer = PlaybookDocument.objects.get(version="customer")
    assert customer.status == Status.READY and customer.requested_by is None
    monkeypatch.setattr(views, "render_export", no_rendering)
    response = client.get(download)
    assert response.status_code == 200 and response.content == bytes(customer.content)
    assert RESISTOR not in readable(response.content)


def test_an_internal_share_link_never_serves_the_customer_document(
    client, link, northwind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        documents.request_document(northwind, "docx", version="customer")
    response = client.get(reverse("share_download", args=[services.share_token(link), "docx"]))
    assert response.status_code == 302


def test_the_daily_prune_deletes_expired_documents_only(large, engagement):
    expired = documents.request_document(large, "pdf")
    PlaybookDocument.objects.filter(id=expired.id).update(expires_at=timezone.now())
    current = documents.request_document(large, "docx")
    other = documents.request_document(engagement, "pdf")
    call_command("prune_playbook_documents", stdout=io.StringIO())
    assert set(PlaybookDocument.objects.values_list("id", flat=True)) == {current.id, other.id}
