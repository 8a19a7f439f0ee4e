"""A small SCORM 1.2 package the project builds itself (demo content and tests): one SCO
that calls the runtime API and reports "passed" with a score when its button is pressed."""

import io
import zipfile

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>{title}</title>
      <item identifier="item1" identifierref="sco1"><title>{title}</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="sco.js"/>
    </resource>
  </resources>
</manifest>
"""

INDEX = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="style.css"></head>
<body><main>
<h1>{title}</h1>
<p>{text}</p>
<p>Question : un courriel vous demande de confirmer votre mot de passe « en urgence ».
Que faites-vous ?</p>
<p><button type="button" id="answer-good">Je ne clique pas et je le signale</button>
<button type="button" id="answer-bad">Je confirme mon mot de passe</button></p>
<p id="feedback" role="status"></p>
</main><script src="sco.js"></script></body></html>
"""

SCRIPT = """(function () {
  var api = window.API;
  var feedback = document.getElementById("feedback");
  if (!api) { feedback.textContent = "API SCORM introuvable."; return; }
  api.LMSInitialize("");
  var visits = parseInt(api.LMSGetValue("cmi.suspend_data") || "0", 10) + 1;
  api.LMSSetValue("cmi.suspend_data", String(visits));
  api.LMSSetValue("cmi.core.lesson_location", "question-1");
  if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  }
  api.LMSCommit("");
  function answer(good) {
    api.LMSSetValue("cmi.core.score.raw", good ? "100" : "0");
    api.LMSSetValue("cmi.core.lesson_status", good ? "passed" : "failed");
    api.LMSSetValue("cmi.core.session_time", "0000:02:00");
    api.LMSCommit("");
    feedback.textContent = good
      ? "Bonne réponse : module réussi."
      : "Mauvaise réponse : réessayez.";
    if (good) { api.LMSFinish(""); }
  }
  document.getElementById("answer-good").addEventListener("click", function () { answer(true); });
  document.getElementById("answer-bad").addEventListener("click", function () { answer(false); });
})();
"""

STYLE = (
    "body { font-family: sans-serif; margin: 1.5rem; }\n"
    "button { margin: .25rem; padding: .5rem 1rem; }\n"
)


def build(
    title="Reconnaître un courriel piégé",
    identifier="cyberportail-hameconnage",
    text="Un module interactif court sur le hameçonnage.",
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST.format(title=title, identifier=identifier))
        archive.writestr("index.html", INDEX.format(title=title, text=text))
        archive.writestr("sco.js", SCRIPT)
        archive.writestr("style.css", STYLE)
    return buffer.getvalue()
