// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
document.addEventListener("click", function (event) {
  if (event.target.matches && event.target.matches("[data-print]")) {
    window.print();
  }
});
// A form that came back with errors: bring its summary into view and focus (autofocus does the same
// where the browser honours it on a non-control).
var errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary && document.activeElement !== errorSummary) {
  errorSummary.focus();
}
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
  var field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  }
});
