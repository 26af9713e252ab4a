package dev.jnetns.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.junit.TransientNetns;
import dev.jnetns.junit.Veth;
import dev.jnetns.link.VethPair;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recipe: a Netty server in the test's namespace and a Netty client in a second namespace, across a veth pair,
 * every event loop group shut down with {@code shutdownGracefully().sync()} as Netty's documentation shows. The
 * client's bootstrap runs inside {@code Netns.execute}: Netty starts an event loop's thread on first use, from
 * the thread that uses it, so the client's loop is born (and connects) in the peer namespace. Netty's
 * {@code globalEventExecutor} thread, which idles for a second after the shutdown, is not reported.
 */
@TransientNetns
public class NettyRecipe {
    @Test
    void echoAcrossAVethPair(
            @TransientNetns("peer") NsFd peer,
            @Veth(peerNetns = "peer", address = "10.7.0.1/24", peerAddress = "10.7.0.2/24") VethPair veth)
            throws Exception {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        EventLoopGroup client = Netns.execute(peer, () -> new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()));
        try {
            Channel listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                @SuppressWarnings("FutureReturnValueIgnored") // as Netty's examples: fire and forget
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    ctx.writeAndFlush(Unpooled.copiedBuffer(
                                            "echo " + msg.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
                                }
                            });
                        }
                    })
                    .bind("10.7.0.1", 9000)
                    .sync()
                    .channel();

            CompletableFuture<String> reply = new CompletableFuture<>();
            Channel connection = Netns.execute(
                    peer,
                    () -> new Bootstrap()
                            .group(client)
                            .channel(NioSocketChannel.class)
                            .handler(new ChannelInitializer<SocketChannel>() {
                                @Override
                                protected void initChannel(SocketChannel ch) {
                                    ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                            reply.complete(msg.toString(StandardCharsets.UTF_8));
                                        }
                                    });
                                }
                            })
                            .connect("10.7.0.1", 9000)
                            .sync()
                            .channel());
            connection
                    .writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8))
                    .sync();
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("echo ping");
            // the server saw the client come from the peer's end of the pair
            assertThat(connection.localAddress().toString()).contains("10.7.0.2");
            connection.close().sync();
            listener.close().sync();
        } finally {
            client.shutdownGracefully().sync();
            workers.shutdownGracefully().sync();
            boss.shutdownGracefully().sync();
        }
    }
}
