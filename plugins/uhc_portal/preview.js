// Preview only (`python -m uhc_portal serve` puts it into each page as it serves it; never in
// the built site): reload the page when its file changes or a good build changed more than
// data; after a failed build, list its errors in a banner over the page, which stays as the
// last good build left it.
(() => {
  "use strict";
  const shown = document.currentScript.dataset.isi; // the digest of the page as served
  let version = document.currentScript.dataset.versi; // the good build it is up to date with
  const language = document.documentElement.lang || "id";
  let seen = "";
  let wait = 500;

  function banner(status) {
    let box = document.getElementById("pratinjau-galat");
    if (!status.galat.length) {
      if (box) box.remove();
      document.body.style.paddingBottom = "";
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "pratinjau-galat";
      box.setAttribute("role", "alert");
      // Styles through the DOM: the page's Content-Security-Policy refuses inline CSS.
      Object.assign(box.style, {
        position: "fixed",
        left: "0",
        right: "0",
        bottom: "0",
        zIndex: "2147483647",
        maxHeight: "50vh",
        overflowY: "auto",
        boxSizing: "border-box",
        padding: "0.75rem 1rem",
        background: "#fff",
        color: "#1a1a1a",
        borderTop: "0.375rem solid #a4161a",
        boxShadow: "0 -0.25rem 1rem rgba(0, 0, 0, 0.3)",
        font: "1rem/1.45 system-ui, sans-serif",
        overflowWrap: "anywhere",
        textAlign: "left",
      });
      document.body.append(box);
    }
    const title = document.createElement("p");
    Object.assign(title.style, { margin: "0 0 0.25rem", fontWeight: "700", fontSize: "1.125rem" });
    title.textContent = `✖ ${status.teks.title}`;
    const explanation = document.createElement("p");
    explanation.style.margin = "0 0 0.5rem";
    explanation.textContent = status.teks.explanation;
    const list = document.createElement("ul");
    Object.assign(list.style, { margin: "0", paddingLeft: "1.25rem" });
    for (const error of status.galat) {
      const item = document.createElement("li");
      item.style.margin = "0.25rem 0";
      if (error.berkas) {
        const file = document.createElement("code");
        file.style.fontWeight = "700";
        file.textContent = error.berkas;
        item.append(file);
        if (error.baris) item.append(`, ${status.teks.line.replace("%(n)s", error.baris)}`);
        item.append(": ");
      }
      item.append(error.pesan);
      list.append(item);
    }
    const parts = [title, explanation, list];
    if (status.diubah && status.galat.some((error) => !error.berkas)) {
      // a warning that names no file: the one just saved is the likely cause
      const edited = document.createElement("p");
      edited.style.margin = "0.5rem 0 0";
      edited.textContent = status.teks.edited.replace("%(f)s", status.diubah);
      parts.push(edited);
    }
    box.replaceChildren(...parts);
    // room below the page's end, so that nothing of it stays hidden under the banner
    document.body.style.paddingBottom = `${box.offsetHeight}px`;
  }

  async function follow() {
    for (;;) {
      let status;
      try {
        const query = new URLSearchParams({
          generasi: seen,
          versi: version,
          isi: shown,
          halaman: location.pathname,
          bahasa: language,
        });
        const answer = await fetch(`/_pratinjau/status?${query}`, { cache: "no-store" });
        if (!answer.ok) throw new Error(answer.statusText);
        status = await answer.json();
        wait = 500;
      } catch {
        // the server is stopped or restarting: ask again, less and less often
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 5000);
        continue;
      }
      if (status.muat_ulang) {
        location.reload();
        return;
      }
      version = status.versi;
      seen = String(status.generasi);
      banner(status);
    }
  }

  follow();
})();
