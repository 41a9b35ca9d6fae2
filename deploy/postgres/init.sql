-- One database per service: no service reads another's tables.
CREATE DATABASE scheduler;
CREATE DATABASE notifier;
CREATE DATABASE feedback;
