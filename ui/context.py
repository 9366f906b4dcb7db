"""What the tab modules share while the app is being built.

Tabs are built in two passes: every tab lays out its components first
(``layout(ctx)``), then every tab wires its events (``wire(ctx)``), so a tab can
use components of tabs built after it. Components other tabs need are put in
``ctx.parts`` by name. Translatable properties are registered with
:meth:`AppContext.tr` and updated together when the interface language changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ui.feedback import FeedbackLog
from ui.i18n import t
from ui.ports import Services

#: A translatable property value: an i18n key, or a function of the language.
TextSpec = str | Callable[[str], Any]


@dataclass
class LanguageHook:
    """Extra outputs re-rendered on a language change: ``fn(*inputs, lang) -> updates``."""

    fn: Callable[..., Any]
    inputs: list[Any]
    outputs: list[Any]


@dataclass
class AppContext:
    services: Services
    language: str
    feedback_log: FeedbackLog
    parts: dict[str, Any] = field(default_factory=dict)
    translatables: list[tuple[Any, dict[str, TextSpec]]] = field(default_factory=list)
    language_hooks: list[LanguageHook] = field(default_factory=list)

    def text(self, spec: TextSpec, lang: str | None = None) -> Any:
        lang = lang or self.language
        return spec(lang) if callable(spec) else t(lang, spec)

    def tr(self, component_factory: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Create a component whose ``*_key`` keyword arguments are i18n keys (or functions of the language).

        ``ctx.tr(gr.Button, value_key="chat.send", variant="primary")`` creates the
        button in the current language and re-labels it when the language changes.
        """
        specs = {name[: -len("_key")]: kwargs.pop(name) for name in list(kwargs) if name.endswith("_key")}
        for prop, spec in specs.items():
            kwargs[prop] = self.text(spec)
        component = component_factory(*args, **kwargs)
        self.translatables.append((component, specs))
        return component

    def on_language(self, fn: Callable[..., Any], inputs: list[Any], outputs: list[Any]) -> None:
        self.language_hooks.append(LanguageHook(fn, inputs, outputs))

    def __getitem__(self, name: str) -> Any:
        return self.parts[name]
