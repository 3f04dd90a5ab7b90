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


def test_book_figures_are_the_same_svg_on_every_draw():
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell

    from dlmath.figures import use_book_figures

    use_book_figures()
    svg_of = InteractiveShell.instance().display_formatter.formatters[
        "image/svg+xml"
    ]
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0], label="a line")
    ax.legend()
    first, second = svg_of(fig), svg_of(fig)
    plt.close(fig)
    assert first is not None
    assert first.startswith("<?xml")
    assert first == second
    # no date, and ids from a fixed salt (else random per kernel): the same
    # bytes in every run of a notebook
    assert "<dc:date>" not in first
    assert plt.rcParams["svg.hashsalt"] is not None
