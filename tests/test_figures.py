"""The computation-graph figure of chapter 4."""

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from dlmath.figures import draw_graph, network_graph


def test_draw_graph_draws_a_box_per_node_and_a_label_per_labelled_edge():
    nodes, edges = network_graph()
    # a Figure without pyplot: no backend, no window
    ax = Figure().add_subplot()
    draw_graph(ax, nodes, edges)
    labelled = sum(1 for *_, label in edges if label)
    arrows = [t for t in ax.texts if isinstance(t, Annotation)]
    assert len(arrows) == len(edges)
    assert len(ax.texts) - len(arrows) == len(nodes) + labelled
    assert {t.get_text() for t in ax.texts} >= {
        rf"$\delta_{k}$" for k in range(1, 6)
    }
    with pytest.raises(ValueError, match="not in nodes"):
        draw_graph(ax, nodes, [("x", "nowhere", "")])
