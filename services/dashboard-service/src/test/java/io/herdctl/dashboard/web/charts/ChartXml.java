package io.herdctl.dashboard.web.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** A rendered chart, parsed as namespace-aware XML, with the queries the chart tests share. */
final class ChartXml {

    static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Set<String> ELEMENTS = Set.of("svg", "title", "desc", "rect", "line", "text");

    final String source;
    final Element root;

    private ChartXml(String source, Element root) {
        this.source = source;
        this.root = root;
    }

    static ChartXml parse(String svg) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
            return new ChartXml(svg, doc.getDocumentElement());
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
    }

    /** Parses and checks what every chart must be: accessible, responsive, inert under the dashboard's CSP. */
    static ChartXml parseChart(String svg, String title) {
        ChartXml chart = parse(svg);
        Element root = chart.root;
        assertEquals(SVG_NS, root.getNamespaceURI());
        assertEquals("svg", root.getLocalName());
        assertEquals("img", root.getAttribute("role"));
        assertTrue(root.getAttribute("viewBox").matches("0 0 800 \\d+(\\.\\d+)?"), root.getAttribute("viewBox"));
        assertFalse(root.hasAttribute("width") || root.hasAttribute("height"), "the page sizes the chart");
        List<Element> named = new ArrayList<>();
        for (String id : root.getAttribute("aria-labelledby").split(" ")) {
            named.addAll(chart.all("*").stream().filter(e -> id.equals(e.getAttribute("id"))).toList());
        }
        assertEquals(2, named.size(), "aria-labelledby names the title and the description");
        assertEquals("title", named.get(0).getLocalName());
        assertEquals(title, named.get(0).getTextContent());
        assertEquals("desc", named.get(1).getLocalName());
        assertFalse(named.get(1).getTextContent().isBlank());
        assertInert(chart);
        assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
        return chart;
    }

    /** Only plain drawing elements in the SVG namespace; no script, handler, style or reference anywhere. */
    static void assertInert(ChartXml chart) {
        for (Element e : chart.all("*")) {
            assertEquals(SVG_NS, e.getNamespaceURI(), e.getTagName());
            assertTrue(ELEMENTS.contains(e.getLocalName()), "unexpected element " + e.getLocalName());
            assertFalse(e.getLocalName().equalsIgnoreCase("script"));
            for (int i = 0; i < e.getAttributes().getLength(); i++) {
                Node a = e.getAttributes().item(i);
                String name = a.getLocalName() != null ? a.getLocalName() : a.getNodeName();
                assertFalse(name.toLowerCase(Locale.ROOT).startsWith("on"), "event handler " + name);
                assertFalse(name.equals("style") || name.equals("href"), "attribute " + name);
            }
        }
    }

    List<Element> all(String localName) {
        List<Element> out = new ArrayList<>();
        var nodes = root.getElementsByTagNameNS(SVG_NS, localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** Elements carrying every one of the given CSS classes, in document order. */
    List<Element> withClass(String... classes) {
        return all("*").stream()
                .filter(e -> Arrays.asList(e.getAttribute("class").split(" ")).containsAll(List.of(classes)))
                .toList();
    }

    /** The visible text of {@code <text>} elements with the given class (their tooltip left out). */
    List<String> texts(String cssClass) {
        return withClass(cssClass).stream().map(ChartXml::ownText).toList();
    }

    static String ownText(Element e) {
        StringBuilder b = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE) {
                b.append(n.getNodeValue());
            }
        }
        return b.toString();
    }

    static String tooltip(Element e) {
        Node first = e.getFirstChild();
        assertNotNull(first, "no tooltip on " + e.getAttribute("class"));
        assertEquals("title", first.getLocalName());
        return first.getTextContent();
    }

    static double num(Element e, String attribute) {
        String v = e.getAttribute(attribute);
        assertTrue(v.matches("-?\\d+(\\.\\d{1,2})?"), attribute + "=\"" + v + "\"");
        return Double.parseDouble(v);
    }
}
