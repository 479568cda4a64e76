from django.urls import path

from changeready.planning import views

plan = "engagements/<uuid:engagement_id>/plan/"
item = plan + "items/<uuid:item_id>/"
playbook = "w/<slug:slug>/playbook/"

urlpatterns = [
    path(plan, views.plan_page, name="plan"),
    path(plan + "generate/", views.plan_generate, name="plan_generate"),
    path(plan + "settings/", views.plan_settings, name="plan_settings"),
    path(plan + "items/new/", views.item_create, name="plan_item_create"),
    path(plan + "items/owner/", views.plan_bulk_owner, name="plan_bulk_owner"),
    path(item, views.item_fragment, name="plan_item"),
    path(item + "edit/", views.item_edit, name="plan_item_edit"),
    path(item + "move/", views.item_move, name="plan_item_move"),
    path(item + "status/", views.item_status, name="plan_item_status"),
    path(item + "delete/", views.item_delete, name="plan_item_delete"),
    path(plan + "adoption/", views.adoption_page, name="adoption"),
    path(plan + "adoption/import/", views.actuals_import, name="actuals_import"),
    path(
        plan + "adoption/<uuid:target_id>/",
        views.adoption_target_edit,
        name="adoption_target",
    ),
    path(playbook, views.playbook, name="playbook"),
    path(playbook + "new/", views.rule_create, name="rule_create"),
    path(playbook + "<str:key>/edit/", views.rule_edit, name="rule_edit"),
    path(playbook + "<str:key>/toggle/", views.rule_toggle, name="rule_toggle"),
    path(playbook + "<str:key>/reset/", views.rule_reset, name="rule_reset"),
    path(playbook + "<str:key>/delete/", views.rule_delete, name="rule_delete"),
]
