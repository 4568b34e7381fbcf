/** The SDK's implementation: requests, JSON shapes and the loops behind the running objects. Not API. */
package dev.switchboard.client.internal;
