/* Comparison: recompute the weighted totals and the ranking as the reader changes the weights
   (same method as benchmarks/scoring.py), and keep the address and the export links in step.
   Without JavaScript the form's submit button does the same on the server. */
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  var table = document.getElementById("compare-table");
  var ranking = document.getElementById("ranking");
  if (!form || !table || !ranking) {
    return;
  }
  var maxWeight = parseInt(form.getAttribute("data-max-weight"), 10) || 10;
  var status = document.getElementById("ranking-status");
  var solutionIds = Array.prototype.map.call(
    table.querySelectorAll("thead th[data-solution]"),
    function (th) { return th.getAttribute("data-solution"); }
  );
  var inputs = form.querySelectorAll("input.bench-weight");

  function format(value) {
    return value === null ? "—" : value.toFixed(2).replace(".", ",");
  }

  function readWeights() {
    var weights = {};
    var valid = true;
    Array.prototype.forEach.call(inputs, function (input) {
      var value = Number(input.value);
      if (input.value === "" || !Number.isInteger(value) || value < 0 || value > maxWeight) {
        input.setAttribute("aria-invalid", "true");
        valid = false;
      } else {
        input.removeAttribute("aria-invalid");
        weights[input.getAttribute("data-criterion")] = value;
      }
    });
    return valid ? weights : null;
  }

  function totals(weights) {
    var result = {};
    var totalWeight = 0;
    Object.keys(weights).forEach(function (key) {
      if (weights[key] > 0) { totalWeight += weights[key]; }
    });
    solutionIds.forEach(function (id, column) {
      var points = 0;
      var scored = 0;
      table.querySelectorAll("tbody tr[data-criterion]").forEach(function (row) {
        var weight = weights[row.getAttribute("data-criterion")] || 0;
        var cell = row.querySelectorAll("td")[column + 1];
        if (weight > 0 && cell && cell.hasAttribute("data-score")) {
          points += weight * Number(cell.getAttribute("data-score"));
          scored += weight;
        }
      });
      result[id] = {
        value: scored ? points / scored : null,
        coverage: totalWeight ? scored / totalWeight : 0
      };
    });
    return result;
  }

  function ranks(result) {
    var ordered = solutionIds.filter(function (id) { return result[id].value !== null; })
      .map(function (id) { return [Math.round(result[id].value * 100) / 100, id]; })
      .sort(function (a, b) { return b[0] - a[0]; });
    var out = {};
    var previous = null;
    var position = 0;
    ordered.forEach(function (pair, index) {
      if (pair[0] !== previous) { position = index + 1; previous = pair[0]; }
      out[pair[1]] = position;
    });
    return out;
  }

  function permalink(weights) {
    var query = new URLSearchParams();
    solutionIds.forEach(function (id) { query.append("s", id); });
    Object.keys(weights).forEach(function (key) { query.append("w" + key, weights[key]); });
    return query.toString();
  }

  function update() {
    var weights = readWeights();
    if (!weights) {
      return;
    }
    var result = totals(weights);
    var rank = ranks(result);
    Object.keys(weights).forEach(function (key) {
      var cell = table.querySelector("[data-weight-for='" + key + "']");
      if (cell) { cell.textContent = weights[key]; }
    });
    solutionIds.forEach(function (id) {
      document.querySelectorAll("[data-total-for='" + id + "']").forEach(function (el) {
        var strong = el.querySelector("strong");
        (strong || el).textContent = format(result[id].value);
      });
      var coverage = table.querySelector("[data-coverage-for='" + id + "']");
      if (coverage) { coverage.textContent = Math.round(result[id].coverage * 100) + " %"; }
      var rankCell = table.querySelector("[data-rank-for='" + id + "']");
      if (rankCell) { rankCell.textContent = rank[id] || "—"; }
    });
    var items = Array.prototype.slice.call(ranking.querySelectorAll("li[data-solution]"));
    items.sort(function (a, b) {
      var ra = rank[a.getAttribute("data-solution")] || 99;
      var rb = rank[b.getAttribute("data-solution")] || 99;
      return ra - rb;
    });
    items.forEach(function (item) { ranking.appendChild(item); });
    var query = permalink(weights);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + "?" + query);
    }
    ["export-csv", "export-pdf"].forEach(function (id) {
      var link = document.getElementById(id);
      if (link) { link.href = link.getAttribute("data-base") + "?" + query; }
    });
    if (status) {
      status.textContent = items.map(function (item, index) {
        return (index + 1) + ". " + item.querySelector(".bench-ranking__name").textContent;
      }).join(" ; ");
    }
  }

  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
})();
