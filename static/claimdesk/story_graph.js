// The story graph: actors as points, claims as arrows (Cytoscape.js, vendored). The
// page's JSON (#graph-data) holds every claim but rejected ones; the toggle shows the
// verified (approved) claims only, or all of them, without a reload, and keeps the
// table beside the graph (the same data, for screen readers and keyboards) in step.
// Every label goes into the canvas or through textContent, never as markup.

const dataNode = document.getElementById("graph-data");
const container = document.getElementById("story-graph");
const toggle = document.getElementById("graph-all");
const scope = document.getElementById("graph-scope");
const submit = document.getElementById("graph-toggle-submit");

const COLOURS = { claim: "#2b59c3", denial: "#b42318", relation: "#6b3fa0" };

function elements(data) {
  const nodes = data.nodes.map((node) => ({ group: "nodes", data: { ...node } }));
  const edges = data.edges.map((edge) => ({
    group: "edges",
    data: { ...edge },
    classes: [edge.kind, edge.status === "approved" ? "verified" : "unreviewed"].join(" "),
  }));
  return [...nodes, ...edges];
}

function showing(cy, all) {
  cy.batch(() => {
    cy.edges().forEach((edge) => {
      edge.style("display", all || edge.data("status") === "approved" ? "element" : "none");
    });
    cy.nodes().forEach((node) => {
      const statuses = node.data("statuses") || [];
      const shown = all || statuses.includes("approved");
      node.style("display", shown ? "element" : "none");
    });
  });
  const nodes = cy.nodes().filter((n) => n.style("display") !== "none");
  const edges = cy.edges().filter((e) => e.style("display") !== "none");
  container.dataset.nodes = String(nodes.length);
  container.dataset.edges = String(edges.length);
  // The most connected actor in the middle (usually the one the graph is about), the
  // others in a ring around it.
  const most = Math.max(0, ...nodes.map((node) => node.degree(false)));
  const layout = nodes.union(edges).layout({
    name: "concentric",
    animate: false,
    fit: false,
    concentric: (node) => (node.degree(false) === most ? 2 : 1),
    levelWidth: () => 1,
    minNodeSpacing: 90,
  });
  // Fit once the layout has placed the actors; a few actors should not fill the
  // screen, so the zoom stays at reading size.
  layout.one("layoutstop", () => {
    cy.fit(nodes, 40);
    if (cy.zoom() > 1.5) {
      cy.zoom(1.5);
      cy.center(nodes);
    }
    container.dataset.ready = "1";
  });
  layout.run();
}

function syncTable(all) {
  let shown = 0;
  for (const row of document.querySelectorAll("tr[data-edge]")) {
    const visible = all || row.dataset.status === "approved";
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  const empty = document.querySelector("[data-testid=graph-empty]");
  if (empty) {
    empty.hidden = shown > 0;
    empty.textContent = all ? "No claims to draw." : "No claims to draw among the verified ones.";
  }
  if (scope) {
    scope.textContent = all
      ? "Showing every claim but rejected ones."
      : "Showing verified (approved) claims only.";
  }
}

if (dataNode && container && window.cytoscape) {
  const data = JSON.parse(dataNode.textContent);
  const cy = window.cytoscape({
    container,
    elements: elements(data),
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "background-color": "#5b6475",
          color: "#1d2330",
          "font-size": 12,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "wrap",
          "text-max-width": 120,
          width: 22,
          height: 22,
        },
      },
      {
        selector: "edge",
        style: {
          width: 2.5,
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "line-color": COLOURS.claim,
          "target-arrow-color": COLOURS.claim,
          label: "data(label)",
          "font-size": 10,
          color: "#1d2330",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-rotation": "autorotate",
        },
      },
      {
        selector: "edge.denial",
        style: { "line-style": "dashed", "line-color": COLOURS.denial, "target-arrow-color": COLOURS.denial },
      },
      {
        selector: "edge.relation",
        style: { "line-color": COLOURS.relation, "target-arrow-color": COLOURS.relation, "target-arrow-shape": "vee" },
      },
      { selector: "edge.unreviewed", style: { "line-style": "dotted", opacity: 0.75 } },
    ],
    layout: { name: "preset" },
  });
  // Click an actor to open it, an arrow to open its claim.
  cy.on("tap", "node, edge", (event) => {
    const url = event.target.data("url");
    if (url) window.location.assign(url);
  });
  window.storyGraph = cy;
  const initial = Boolean(toggle && toggle.checked);
  showing(cy, initial);
  syncTable(initial);
  if (toggle) {
    if (submit) submit.hidden = true; // the toggle acts at once
    toggle.addEventListener("change", () => {
      showing(cy, toggle.checked);
      syncTable(toggle.checked);
      const url = new URL(window.location.href);
      if (toggle.checked) url.searchParams.set("all", "1");
      else url.searchParams.delete("all");
      window.history.replaceState(null, "", url);
    });
  }
}
