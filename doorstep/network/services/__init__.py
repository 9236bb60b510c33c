"""Every write of the network app, one module per concept; each change is audited.

- ``directory``: an organization's entry in the public directory.
- ``affiliations``: requests to join a network, and their answers.
- ``bulletins``: bulletins (drafts, language versions, sections) and their publication.
- ``news``: news an affiliate sends to its network for the next bulletin.
- ``subscribers``: e-mail subscriptions to bulletins (double opt-in, unsubscribe links).
- ``sending``: sending a published edition to the confirmed subscribers.
- ``resources``: the resource library (files and links).
- ``events``: events and trainings, registrations and attendance, and her rights over them.
- ``_common``: the language check and message names the modules above share.
"""
