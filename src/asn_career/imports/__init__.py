"""Getting an office's data in and out: file imports, exports, SIASN, webhooks."""
