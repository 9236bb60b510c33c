"""The messaging app's services, one module per concept: channels (connecting a gateway, the test
message), sending (the outbox and its job), receiving (the inbox, keywords, delivery reports),
keywords (the words and their answers), notices (to chosen members), rights (her export and erasure)."""
