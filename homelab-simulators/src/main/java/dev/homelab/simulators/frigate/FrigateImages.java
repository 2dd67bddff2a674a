package dev.homelab.simulators.frigate;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.imageio.ImageIO;

/**
 * Draws and encodes the simulator's pictures with java.desktop (headless): a camera frame with the
 * camera's name and the time, an event snapshot with its label. Encoding takes tens of
 * milliseconds, so callers run it on a worker, never on an event loop.
 */
final class FrigateImages {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** The largest payload of one JPEG comment segment (its length field counts itself). */
  private static final int MAX_COMMENT = 65_533;

  private FrigateImages() {}

  /**
   * @param width the picture's width
   * @param height the picture's height
   * @param title the first line, such as the camera's name
   * @param at the time written on the second line
   * @param padding bytes of comment segments to add (0 for none)
   * @return a JPEG
   */
  static byte[] frame(int width, int height, String title, Instant at, int padding) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      // A colour per title, so that two cameras' pictures differ.
      float hue = (title.hashCode() & 0xffff) / 65535f;
      g.setPaint(
          new GradientPaint(
              0,
              0,
              Color.getHSBColor(hue, 0.6f, 0.5f),
              width,
              height,
              Color.getHSBColor(hue, 0.8f, 0.15f)));
      g.fillRect(0, 0, width, height);
      try {
        g.setRenderingHint(
            RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        int size = Math.max(8, height / 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        g.drawString(title, size / 2, size + size / 2);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, Math.max(6, size * 2 / 3)));
        g.drawString(TIME.format(at), size / 2, height - size / 2);
      } catch (RuntimeException | Error e) {
        // A JVM without any font cannot draw text: the picture stays a valid JPEG without it.
      }
    } finally {
      g.dispose();
    }
    return pad(encode(image), padding);
  }

  private static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      if (!ImageIO.write(image, "jpg", out)) {
        throw new IllegalStateException("this JVM has no JPEG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Inserts comment segments (FF FE) right after the start-of-image marker: decoders skip them. */
  private static byte[] pad(byte[] jpeg, int padding) {
    if (padding <= 0) {
      return jpeg;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + padding + 1024);
    out.write(jpeg, 0, 2); // SOI
    byte[] text = "frigate-simulator padding ".getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[MAX_COMMENT];
    for (int i = 0; i < block.length; i++) {
      block[i] = text[i % text.length];
    }
    int left = padding;
    while (left > 0) {
      int payload = Math.min(MAX_COMMENT, Math.max(1, left - 4));
      out.write(0xFF);
      out.write(0xFE);
      out.write((payload + 2) >> 8);
      out.write((payload + 2) & 0xFF);
      out.write(block, 0, payload);
      left -= payload + 4;
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
