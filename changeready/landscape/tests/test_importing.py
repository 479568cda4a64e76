def test_every_crm_buying_role_names_a_relation_preset():
    from changeready.landscape.importing import crm_relation_aliases
    from changeready.landscape.presets import RELATION_PRESETS_BY_SLUG

    aliases = crm_relation_aliases()
    assert aliases["decision_maker"] == "economic_buyer"
    assert aliases["blocker"] == "opposed_leader"  # HubSpot's
    assert set(aliases.values()) <= set(RELATION_PRESETS_BY_SLUG)
