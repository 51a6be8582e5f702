"""The demo firm's CRM: a small REST service (``service``, standard library only) started by
``personvern democrm`` beside the web server, and its contacts and HTTP source loaded with
the demo (``contacts``)."""
