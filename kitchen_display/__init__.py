"""The kitchen wall display: ticket cards (``ticket_model`` + ``ticket_card``) in a dark window
(``window.KitchenDisplay``) driven by touch and keyboard."""
