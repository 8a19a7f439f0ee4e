/* SCORM 1.2 API for a package running in a sandboxed frame (opaque origin).
   Values live here; initialize, commit and finish are posted to the lesson page, which
   saves them through the portal's runtime endpoint. The initial values come in the URL
   fragment, set by the lesson page. */
(function () {
  "use strict";
  var values = {};
  try {
    values = JSON.parse(decodeURIComponent(window.location.hash.slice(1))) || {};
  } catch (e) {
    values = {};
  }
  var READ_ONLY = {
    "cmi.core.student_id": 1, "cmi.core.student_name": 1, "cmi.core.credit": 1,
    "cmi.core.entry": 1, "cmi.core.total_time": 1, "cmi.core.lesson_mode": 1,
    "cmi.launch_data": 1
  };
  var WRITE_ONLY = { "cmi.core.session_time": 1, "cmi.core.exit": 1 };
  var changed = {};
  var state = "new"; // new, running, finished
  var lastError = "0";
  var messages = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error",
    "301": "Not initialized", "401": "Not implemented error", "403": "Element is read only",
    "404": "Element is write only", "405": "Incorrect data type"
  };
  var target = window.location.protocol + "//" + window.location.host;

  function post(action) {
    var payload = { scorm: action, values: changed };
    changed = {};
    window.parent.postMessage(payload, target);
  }
  function running() {
    if (state !== "running") { lastError = "301"; return false; }
    return true;
  }
  window.API = {
    LMSInitialize: function () {
      if (state !== "new") { lastError = "101"; return "false"; }
      state = "running"; lastError = "0"; post("initialize"); return "true";
    },
    LMSFinish: function () {
      if (!running()) { return "false"; }
      post("finish"); state = "finished"; lastError = "0"; return "true";
    },
    LMSGetValue: function (key) {
      if (!running()) { return ""; }
      if (WRITE_ONLY[key]) { lastError = "404"; return ""; }
      lastError = "0";
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : "";
    },
    LMSSetValue: function (key, value) {
      if (!running()) { return "false"; }
      if (READ_ONLY[key]) { lastError = "403"; return "false"; }
      if (String(key).indexOf("cmi.") !== 0) { lastError = "201"; return "false"; }
      values[key] = String(value); changed[key] = String(value); lastError = "0"; return "true";
    },
    LMSCommit: function () {
      if (!running()) { return "false"; }
      post("commit"); lastError = "0"; return "true";
    },
    LMSGetLastError: function () { return lastError; },
    LMSGetErrorString: function (code) { return messages[code] || ""; },
    LMSGetDiagnostic: function (code) { return messages[code || lastError] || ""; }
  };
})();
