from changeready.assessment.charts import HeatPoint, risk_heatmap_svg


def test_heatmap_with_linked_marks_is_a_group_whose_links_are_named():
    svg = risk_heatmap_svg([HeatPoint("Pickers", 4, 0.5, "medium", href="/s/1/")])
    # An image's content is hidden from assistive technology: its links could
    # be focused but not read.
    assert svg.count('role="group"') == 1 and 'role="img"' not in svg
    assert '<a href="/s/1/">' in svg and "<title>Pickers</title>" in svg


def test_heatmap_without_links_is_an_image():
    svg = risk_heatmap_svg([HeatPoint("Pickers", 4, 0.5, "medium")])
    assert 'role="img"' in svg and "<a " not in svg
