// Small progressive enhancements. Every action also works as a plain form
// POST without this file; nothing here is required to use the app.
document.addEventListener("DOMContentLoaded", () => {
  // Close other open dropdown menus when one opens.
  document.querySelectorAll("details.dropdown").forEach((menu) => {
    menu.addEventListener("toggle", () => {
      if (!menu.open) return;
      document.querySelectorAll("details.dropdown[open]").forEach((other) => {
        if (other !== menu) other.open = false;
      });
    });
  });
  // Links styled as buttons (Pico's <a role="button">) announce themselves as
  // buttons, so they must also answer the Space key like a button does.
  document.addEventListener("keydown", (event) => {
    const link = event.target.closest?.('a[role="button"]');
    if (!link || event.key !== " " || event.repeat) return;
    event.preventDefault();
    link.click();
  });
  // Escape closes an open dropdown menu and returns focus to its toggle.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.dropdown[open]").forEach((menu) => {
      menu.open = false;
      menu.querySelector("summary")?.focus();
    });
  });
});
