package dev.switchboard.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** After the TLS handshake, builds the rest of the pipeline for the protocol ALPN chose (HTTP/1.1 without ALPN). */
final class AlpnNegotiation extends ApplicationProtocolNegotiationHandler {
    private static final Logger LOG = Logger.getLogger(AlpnNegotiation.class.getName());

    private final ServerInitializer initializer;

    AlpnNegotiation(ServerInitializer initializer) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.initializer = initializer;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        switch (protocol) {
            case ApplicationProtocolNames.HTTP_2 -> initializer.addHttp2(ctx.pipeline());
            case ApplicationProtocolNames.HTTP_1_1 -> initializer.addHttp1(ctx.pipeline());
            default -> throw new IllegalStateException("ALPN chose an unoffered protocol: " + protocol);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // A client that does not trust the certificate, or speaks plain HTTP to the TLS port: its problem, not ours.
        LOG.log(Level.FINE, "TLS handshake with " + ctx.channel().remoteAddress() + " failed", cause);
        ctx.close();
    }
}
